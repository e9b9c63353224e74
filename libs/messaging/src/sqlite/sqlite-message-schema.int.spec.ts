import Database from 'better-sqlite3';
import { prepareDatabase } from './sqlite-message-schema';

describe('the SQLite message log connection', () => {
  it('given synchronous full (STOCKADE_SQLITE_SYNCHRONOUS=full), when the log is opened, then every commit waits for its fsync (FULL)', () => {
    const db = new Database(':memory:');
    prepareDatabase(db, 1000, 'full');
    const synchronous = db.pragma('synchronous', { simple: true });
    db.close();

    expect(synchronous).toBe(2);
  });
});

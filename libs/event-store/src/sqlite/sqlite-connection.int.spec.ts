import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WAL_AUTOCHECKPOINT_PAGES } from './sqlite-connection';
import { openSqliteDatabase } from './sqlite-schema';

describe('SQLite connection set-up', () => {
  const path = join(tmpdir(), `stockade-connection-${randomUUID()}.db`);
  afterAll(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  });

  it('given a new event store file, when opened, then it uses WAL, NORMAL sync, the larger checkpoint threshold and the busy timeout', () => {
    const db = openSqliteDatabase(path, { busyTimeoutMs: 1234 });

    const settings = {
      journalMode: db.pragma('journal_mode', { simple: true }),
      synchronous: db.pragma('synchronous', { simple: true }),
      walAutocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }),
      busyTimeout: db.pragma('busy_timeout', { simple: true }),
    };
    db.close();

    // synchronous: 1 is NORMAL.
    expect(settings).toEqual({
      journalMode: 'wal',
      synchronous: 1,
      walAutocheckpoint: WAL_AUTOCHECKPOINT_PAGES,
      busyTimeout: 1234,
    });
    expect(WAL_AUTOCHECKPOINT_PAGES).toBeGreaterThan(1000);
  });

  it('given synchronous full (STOCKADE_SQLITE_SYNCHRONOUS=full), when an event store file is opened, then every commit waits for its fsync (FULL)', () => {
    const db = openSqliteDatabase(path, { synchronous: 'full' });
    const synchronous = db.pragma('synchronous', { simple: true });
    db.close();

    // synchronous: 2 is FULL.
    expect(synchronous).toBe(2);
  });

  it('given a file another process created, when reopened, then it is still in WAL mode', () => {
    const other = new Database(path);
    const mode = other.pragma('journal_mode', { simple: true });
    other.close();

    expect(mode).toBe('wal');
  });
});

import { randomUUID } from 'node:crypto';
import { openSqliteDatabase } from './sqlite-schema';
import { uniqueViolationOf } from './sqlite-unique-violation';

/** The error SQLite itself raises for an insert into the real schema. */
function errorOf(insert: () => void): unknown {
  try {
    insert();
  } catch (error) {
    return error;
  }
  throw new Error('expected the insert to fail');
}

describe('uniqueViolationOf', () => {
  const db = openSqliteDatabase(':memory:');
  const insert = db.prepare(
    'INSERT INTO events (stream, version, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const row = (stream: string, version: number, id: string) =>
    insert.run(stream, version, id, 'T', '{}', '{}', '2026-01-01T00:00:00.000Z');

  afterAll(() => db.close());

  it('given a stored event, when another row takes its stream and version, then the violation is stream_version', () => {
    const stream = `stream-${randomUUID()}`;
    row(stream, 0, randomUUID());

    expect(uniqueViolationOf(errorOf(() => row(stream, 0, randomUUID())))).toBe('stream_version');
  });

  it('given a stored event, when another row reuses its id, then the violation is event_id', () => {
    const id = randomUUID();
    row(`stream-${randomUUID()}`, 0, id);

    expect(uniqueViolationOf(errorOf(() => row(`stream-${randomUUID()}`, 0, id)))).toBe('event_id');
  });

  it('given any other failure, then it is not a unique violation', () => {
    expect(uniqueViolationOf(errorOf(() => insert.run(null, 0, randomUUID(), 'T', '{}', '{}', 'x')))).toBeUndefined();
    expect(uniqueViolationOf(new Error('UNIQUE constraint failed: events.id'))).toBeUndefined();
  });
});

import type Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../event-store';

interface EventRow {
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

type InsertParameters = [
  stream: string,
  version: number,
  id: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

/**
 * Every statement the store runs, prepared once per connection: preparing is a large part of
 * a small statement's cost, and a group commit runs the insert hundreds of times per call.
 */
export function prepareEventStatements(db: Database.Database) {
  const readAllByPrefixCount = new Map<number, Database.Statement<unknown[], EventRow>>();
  return {
    insertEvent: db.prepare<InsertParameters>(
      'INSERT INTO events (stream, version, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    streamVersion: db
      .prepare<[string], number>('SELECT COALESCE(MAX(version), -1) FROM events WHERE stream = ?')
      .pluck(),
    readStream: db.prepare<[string, number], EventRow>(
      'SELECT * FROM events WHERE stream = ? AND version >= ? ORDER BY version',
    ),
    readAll: db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
    ),
    headPosition: db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
    // Changes when another connection commits to the file; this connection's commits leave it be.
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    readCheckpoint: db.prepare<[string], number>('SELECT position FROM checkpoints WHERE name = ?').pluck(),
    saveCheckpoint: db.prepare<[string, number]>(
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    ),
    /**
     * instr(stream, prefix) = 1 is "starts with", compared byte for byte: LIKE would be
     * case-insensitive and treat % and _ in stream names as wildcards.
     */
    readAllWithPrefixes(prefixCount: number): Database.Statement<unknown[], EventRow> {
      let statement = readAllByPrefixCount.get(prefixCount);
      if (!statement) {
        const anyPrefix = Array.from({ length: prefixCount }, () => 'instr(stream, ?) = 1').join(' OR ');
        statement = db.prepare<unknown[], EventRow>(
          `SELECT * FROM events WHERE position > ? AND (${anyPrefix}) ORDER BY position LIMIT ?`,
        );
        readAllByPrefixCount.set(prefixCount, statement);
      }
      return statement;
    },
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    stream: row.stream,
    version: row.version,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}

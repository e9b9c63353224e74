import { escapeIdentifier } from 'pg';
import type { RecordedEvent } from '../event-store';

/** One row of `events` as the reads select it (bigint arrives as a string). */
export interface EventRow {
  readonly position: string;
  readonly stream: string;
  readonly version: number;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: RecordedEvent['metadata'];
  readonly recorded_at: Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    stream: row.stream,
    version: row.version,
    position: Number(row.position),
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** `%`, `_` and the escape character itself are literal in a stream prefix. */
export function likePrefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The SQL text of every statement, with the schema name quoted once. */
export function eventStoreSql(schema: string) {
  const s = escapeIdentifier(schema);
  const columns = 'position, stream, version, id, type, data, metadata, recorded_at';
  return {
    streamVersions: `SELECT stream, version FROM ${s}.streams WHERE stream = ANY($1::text[])`,
    storedIds: `
      SELECT id FROM ${s}.events WHERE id = ANY($1::text[])
      ORDER BY array_position($1::text[], id) LIMIT 1`,
    readStream: `SELECT ${columns} FROM ${s}.events WHERE stream = $1 AND version >= $2 ORDER BY version`,
    streamVersion: `SELECT version FROM ${s}.streams WHERE stream = $1`,
    readAll: `SELECT ${columns} FROM ${s}.events WHERE position > $1 ORDER BY position LIMIT $2`,
    /** `$3 .. $(n+2)` are LIKE patterns from likePrefixPattern. */
    readAllWithPrefixes: (prefixCount: number) => `
      SELECT ${columns} FROM ${s}.events
      WHERE position > $1 AND (${Array.from({ length: prefixCount }, (_, index) => `stream LIKE $${index + 3}`).join(' OR ')})
      ORDER BY position LIMIT $2`,
    headPosition: `SELECT coalesce(max(position), 0)::text AS head FROM ${s}.events`,
    readCheckpoint: `SELECT position::text FROM ${s}.checkpoints WHERE name = $1`,
    saveCheckpoint: `
      INSERT INTO ${s}.checkpoints (name, position) VALUES ($1, $2)
      ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    // The update's row lock waits for fenced appends holding the row FOR SHARE.
    takeFence: `
      INSERT INTO ${s}.fences AS fence (name, epoch) VALUES ($1, 1)
      ON CONFLICT (name) DO UPDATE SET epoch = fence.epoch + 1
      RETURNING epoch::text`,
  } as const;
}

export type EventStoreSql = ReturnType<typeof eventStoreSql>;

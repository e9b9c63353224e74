import { configureConnection, type SqliteSynchronous } from '@stockade/event-store/sqlite';
import { InvariantViolation } from '@stockade/kernel';
import type { Database } from 'better-sqlite3';

/**
 * Tables are prefixed `bus_` so the log can share a database file with the event store.
 * WITHOUT ROWID: the primary key is the read order, so a fetch is one range scan.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS bus_messages (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    headers TEXT,
    PRIMARY KEY (topic, partition, offset)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS bus_group_offsets (
    group_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    committed_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, topic, partition)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS bus_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`;

export function prepareDatabase(db: Database, busyTimeoutMs: number, synchronous?: SqliteSynchronous): void {
  configureConnection(db, { busyTimeoutMs, ...(synchronous ? { synchronous } : {}) });
  db.exec(SCHEMA);
  // Files created before retention existed lack the column; 0 reads as "activity unknown".
  const columns = db.prepare(`SELECT name FROM pragma_table_info('bus_group_offsets')`).pluck().all() as string[];
  if (!columns.includes('committed_at'))
    db.exec('ALTER TABLE bus_group_offsets ADD COLUMN committed_at INTEGER NOT NULL DEFAULT 0');
}

/**
 * The partition count is part of the data: keys were hashed onto it, so reopening with
 * another count would split a key's messages across partitions and break its order. The
 * first open records it; later opens adopt it, and refuse a contradicting explicit value.
 */
export function settlePartitionCount(db: Database, requested: number | undefined): number {
  return db
    .transaction(() => {
      const row = db.prepare(`SELECT value FROM bus_settings WHERE name = 'partitions'`).get() as
        { value: string } | undefined;
      if (row) {
        const stored = Number(row.value);
        if (requested !== undefined && requested !== stored) {
          throw new InvariantViolation(
            `this message log was created with ${stored} partitions per topic; it cannot be reopened with ${requested}`,
          );
        }
        return stored;
      }
      const partitions = requested ?? 8;
      db.prepare(`INSERT INTO bus_settings (name, value) VALUES ('partitions', ?)`).run(String(partitions));
      return partitions;
    })
    .immediate();
}

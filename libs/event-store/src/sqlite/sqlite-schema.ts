import Database from 'better-sqlite3';
import { makePrivateDatabaseFile } from './private-database-file';
import { configureConnection, type SqliteSynchronous } from './sqlite-connection';

export interface SqliteConnectionOptions {
  /** How long a writer waits for another connection's write lock before SQLITE_BUSY (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Whether a commit waits for its fsync (default `normal`: no; see configureConnection). */
  readonly synchronous?: SqliteSynchronous;
}

/**
 * The event log, checkpoints and snapshots. `position` is AUTOINCREMENT so a position is never reused,
 * even after the last rows are deleted by hand: relays checkpoint positions and must never
 * see a new event behind their checkpoint. UNIQUE(stream, version) is the optimistic lock
 * and doubles as the index that answers "what is this stream's version" with one seek, so no
 * separate streams table has to be kept in step; reading a stream from a version is a range scan
 * of that index. `snapshots` holds one row per stream, the latest (ADR 14): a cache that may be
 * emptied at any time.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream      TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream, version)
  );
  CREATE TABLE IF NOT EXISTS checkpoints (
    name     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS snapshots (
    stream         TEXT    PRIMARY KEY,
    version        INTEGER NOT NULL,
    event_id       TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT    NOT NULL
  );
`;

/** Opens (creating if needed) an event store file, set up as every Stockade connection is (see configureConnection). */
export function openSqliteDatabase(path: string, options: SqliteConnectionOptions = {}): Database.Database {
  makePrivateDatabaseFile(path);
  const db = new Database(path);
  try {
    configureConnection(db, {
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    });
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

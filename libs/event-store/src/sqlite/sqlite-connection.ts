import type { Database } from 'better-sqlite3';

/**
 * Pages the write-ahead log may hold before a commit checkpoints it into the database file
 * (SQLite's default is 1,000, about 4 MiB). A checkpoint copies every distinct page of the WAL
 * back and syncs the file; event rows land on random pages of the id and (stream, version)
 * indexes, so with a small WAL most pages are copied once per commit or two. 20,000 pages (about
 * 80 MiB per file at most) let repeated writes to the same pages share one copy: the embedded
 * checkout pipeline went from about 1,190 to about 1,460 checkouts/s (docs/benchmarks.md), and
 * more pages (50,000) measured within noise of this.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 20_000;

/**
 * SQLite's `synchronous` in WAL mode: `normal` syncs only at checkpoints, so a commit survives a
 * process crash and the last ones may be lost on power loss; `full` syncs the WAL at every commit
 * (one fsync per group commit), so a commit also survives power loss.
 */
export type SqliteSynchronous = 'normal' | 'full';

/**
 * How every Stockade connection to a SQLite file is set up, event store and message log alike.
 * WAL lets readers (relays, projections, other processes) read while one writer appends;
 * synchronous=NORMAL (the default) in WAL mode keeps every committed transaction consistent and
 * loses at most the last commits on power loss, which is the trade the embedded mode makes for
 * throughput; `full` (STOCKADE_SQLITE_SYNCHRONOUS) pays an fsync per commit not to.
 */
export function configureConnection(
  db: Database,
  options: { readonly busyTimeoutMs: number; readonly synchronous?: SqliteSynchronous },
): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}

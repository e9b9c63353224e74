import type Database from 'better-sqlite3';
import type { WriteLock } from './thread-shared-write-lock';

interface QueuedWrite {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Group commit for one SQLite connection: every write submitted during one turn of the event
 * loop runs in ONE `BEGIN IMMEDIATE … COMMIT`, each in a savepoint of its own.
 *
 * Why: a commit (WAL frames, locks, page writes) costs far more than the few rows a typical
 * write inserts, and under load hundreds of independent writers (order appends, relay
 * checkpoints, bus offsets) each paid one. Why it keeps every guarantee:
 * - a write's promise settles only after the shared COMMIT, so "resolved" still means durable;
 * - a write that throws fails alone: its rows are rolled back and the others commit;
 * - writes run in submission order, so each sees the ones before it (expected versions and
 *   log offsets are checked against them), exactly as if they had been committed one by one;
 * - if BEGIN or COMMIT itself fails (another process holds the lock past the busy timeout),
 *   every write of the turn fails and nothing of it is stored.
 *
 * A turn first runs without savepoints: almost no turn has a failing write, and a savepoint per
 * write (SAVEPOINT, RELEASE, a statement journal of the pages it touches) cost about 15% of a
 * checkout's CPU. Only when a write throws is that transaction rolled back whole and the turn run
 * again with a savepoint per write. So a write may run twice, and must be what every write here
 * is: synchronous statements on this connection, with no effects outside the database.
 */
export class SqliteGroupCommit {
  private queued: QueuedWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly runAllTogether: Database.Transaction<(batch: readonly QueuedWrite[]) => Outcome[]>;
  private readonly runEachInSavepoint: Database.Transaction<(batch: readonly QueuedWrite[]) => Outcome[]>;
  private readonly inSavepoint: Database.Transaction<(write: () => unknown) => unknown>;
  private readonly byItself: Database.Transaction<(write: () => unknown) => unknown>;
  /** Set by runAllTogether when a write (not BEGIN or COMMIT) threw. */
  private aWriteFailed = false;

  /** `writeLock`: taken around every transaction, when other threads write the same file (see ThreadSharedWriteLock). */
  constructor(
    private readonly db: Database.Database,
    private readonly writeLock?: WriteLock,
  ) {
    this.runAllTogether = db.transaction((batch: readonly QueuedWrite[]) =>
      batch.map((queued) => this.runPlain(queued)),
    );
    // Nested inside a transaction, a better-sqlite3 transaction function is a SAVEPOINT: on a throw it rolls back only its own rows.
    this.inSavepoint = db.transaction((write: () => unknown) => write());
    this.runEachInSavepoint = db.transaction((batch: readonly QueuedWrite[]) =>
      batch.map((queued) => this.attempt(queued)),
    );
    this.byItself = db.transaction((write: () => unknown) => write());
  }

  /**
   * Runs `write` (synchronous statements only) now, in a short transaction of its own under the
   * same write lock: for housekeeping (retention) that must never lengthen the transaction the
   * turn's appends and offset commits wait on. Returns what `write` returned, once committed.
   */
  runAlone<Result>(write: () => Result): Result {
    if (this.db.inTransaction) throw new Error('runAlone cannot run inside another transaction');
    if (!this.writeLock) return this.byItself.immediate(write) as Result;
    this.writeLock.acquire();
    try {
      return this.byItself.immediate(write) as Result;
    } finally {
      this.writeLock.release();
    }
  }

  /** Runs `write` (synchronous statements only) in the next shared transaction; settles after its COMMIT. */
  submit<Result>(write: () => Result): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queued.push({ write, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate, not a microtask: a whole turn's worth of writers (a fetched batch's handlers, many HTTP requests) joins.
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits whatever is queued now (before closing the connection). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch);
    } catch (error) {
      batch.forEach((queued) => queued.reject(error));
      return;
    }
    batch.forEach((queued, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error);
    });
  }

  private commit(batch: readonly QueuedWrite[]): Outcome[] {
    if (!this.writeLock) return this.commitTurn(batch);
    this.writeLock.acquire();
    try {
      return this.commitTurn(batch);
    } finally {
      this.writeLock.release();
    }
  }

  private commitTurn(batch: readonly QueuedWrite[]): Outcome[] {
    this.aWriteFailed = false;
    try {
      return this.runAllTogether.immediate(batch);
    } catch (error) {
      if (!this.aWriteFailed) throw error; // BEGIN or COMMIT: the whole turn fails
    }
    // better-sqlite3 rolled the shared transaction back: nothing of this turn is stored yet.
    return this.runEachInSavepoint.immediate(batch);
  }

  private runPlain(queued: QueuedWrite): Outcome {
    try {
      return { ok: true, value: queued.write() };
    } catch (error) {
      this.aWriteFailed = true;
      throw error;
    }
  }

  private attempt(queued: QueuedWrite): Outcome {
    try {
      return { ok: true, value: this.inSavepoint(queued.write) };
    } catch (error) {
      // SQLite rolls the whole transaction back by itself on some errors (SQLITE_FULL, IOERR):
      // the writes before this one are gone too, so the whole turn must fail, not commit a part.
      if (!this.db.inTransaction) throw error;
      return { ok: false, error };
    }
  }
}

import { AppendListeners } from '../append-listeners';
import { systemClock, type Clock } from '@stockade/kernel';
import type Database from 'better-sqlite3';
import {
  DuplicateEventId,
  ExpectedVersionConflict,
  rejectStreamsNamedTwice,
  satisfiesExpectedVersion,
  refuseFences,
} from '../errors';
import type {
  AppendOptions,
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
} from '../event-store';
import type { SnapshotStore } from '../snapshot-store';
import { prepareEventStatements, toRecordedEvent, type EventStatements } from './sqlite-event-statements';
import { SqliteGroupCommit } from './sqlite-group-commit';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';
import { openSqliteDatabase, type SqliteConnectionOptions } from './sqlite-schema';
import { uniqueViolationOf } from './sqlite-unique-violation';

export interface SqliteEventStoreOptions extends SqliteConnectionOptions {
  /** Source of `recordedAt` (default: the system clock). */
  readonly clock?: Clock;
}

/**
 * Another connection wrote (stream, version) between our version check and our insert.
 * Raised inside the transaction and turned into an ExpectedVersionConflict after the
 * rollback, when the stream's committed version can be read without our own rows in it.
 */
class StreamVersionTaken extends Error {
  constructor(readonly request: AppendRequest) {
    super(`stream ${request.stream}: version taken by another writer`);
  }
}

/**
 * The EventStore on one SQLite file (the embedded mode). better-sqlite3 is synchronous, so
 * a call runs to completion before the next starts; across connections and processes,
 * BEGIN IMMEDIATE takes the write lock before the expected versions are read, so the check
 * and the inserts see the same stream. The UNIQUE constraints stay as the last line of
 * defence against writers that do not follow that discipline.
 *
 * Writes (appends and checkpoints) are group-committed: all those submitted in one turn of the
 * event loop share one transaction, each in its own savepoint (see SqliteGroupCommit), and
 * resolve only after that transaction committed.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: EventStatements;
  private readonly listeners = new AppendListeners();
  private readonly writes: SqliteGroupCommit;
  private readonly snapshots: SqliteSnapshotStore;

  /** Opens or creates the file (':memory:' for a private in-memory database). */
  static open(path: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    return new SqliteEventStore(openSqliteDatabase(path, options), options.clock ?? systemClock);
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.statements = prepareEventStatements(db);
    this.writes = new SqliteGroupCommit(db);
    this.snapshots = new SqliteSnapshotStore(db, this.writes);
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, expectedVersion: options.expectedVersion, events }]);
    return result as AppendResult;
  }

  async appendToStreams(requests: readonly AppendRequest[], options?: AppendOptions): Promise<AppendResult[]> {
    refuseFences(options, 'SQLite');
    rejectStreamsNamedTwice(requests);
    let results: AppendResult[];
    try {
      const recordedAt = this.clock.now().toISOString();
      results = await this.writes.submit(() =>
        requests.map((request) => this.appendInTransaction(request, recordedAt)),
      );
    } catch (error) {
      if (!(error instanceof StreamVersionTaken)) throw error;
      const { stream, expectedVersion } = error.request;
      throw new ExpectedVersionConflict(stream, expectedVersion, this.statements.streamVersion.get(stream) ?? -1);
    }
    if (results.some((result) => result.lastPosition > 0)) this.listeners.wake();
    return results;
  }

  async readStream(stream: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    return this.statements.readStream.all(stream, options.fromVersion ?? 0).map(toRecordedEvent);
  }

  async streamVersion(stream: string): Promise<number> {
    return this.statements.streamVersion.get(stream) ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after = 0, limit = 1000, streamPrefixes } = options;
    const pageSize = Math.max(0, Math.floor(limit));
    if (!streamPrefixes) return this.statements.readAll.all(after, pageSize).map(toRecordedEvent);
    if (streamPrefixes.length === 0) return [];
    return this.statements
      .readAllWithPrefixes(streamPrefixes.length)
      .all(after, ...streamPrefixes, pageSize)
      .map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    return this.statements.headPosition.get() ?? 0;
  }

  onAppended(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** SQLite's data_version: only other connections' commits (threads, processes) move it. */
  externalWriteMarker(): number {
    return this.statements.dataVersion.get() as number;
  }

  async readCheckpoint(name: string): Promise<number | undefined> {
    return this.statements.readCheckpoint.get(name);
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    await this.writes.submit(() => this.statements.saveCheckpoint.run(name, position));
  }

  snapshotStore(): SnapshotStore {
    return this.snapshots;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (!this.db.open) return;
    // Writes already submitted were promised a commit, not a "connection closed" error.
    this.writes.flush();
    this.db.close();
  }

  private appendInTransaction(request: AppendRequest, recordedAt: string): AppendResult {
    const actual = this.statements.streamVersion.get(request.stream) ?? -1;
    if (!satisfiesExpectedVersion(request.expectedVersion, actual)) {
      throw new ExpectedVersionConflict(request.stream, request.expectedVersion, actual);
    }
    let version = actual;
    let lastPosition = 0;
    for (const event of request.events) {
      version += 1;
      lastPosition = this.insert(request, event, version, recordedAt);
    }
    return { stream: request.stream, nextExpectedVersion: version, lastPosition };
  }

  private insert(request: AppendRequest, event: NewEvent, version: number, recordedAt: string): number {
    try {
      const { lastInsertRowid } = this.statements.insertEvent.run(
        request.stream,
        version,
        event.id,
        event.type,
        JSON.stringify(event.data ?? null),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      return Number(lastInsertRowid);
    } catch (error) {
      const violation = uniqueViolationOf(error);
      if (violation === 'event_id') throw new DuplicateEventId(event.id);
      if (violation === 'stream_version') throw new StreamVersionTaken(request);
      throw error;
    }
  }
}

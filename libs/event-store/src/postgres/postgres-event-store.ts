import { systemClock, type Clock } from '@stockade/kernel';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  DuplicateEventId,
  ExpectedVersionConflict,
  rejectStreamsNamedTwice,
  satisfiesExpectedVersion,
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
import { appendInOneCall, type AppendTarget } from './postgres-append';
import { AppendNotifications } from './postgres-append-notifications';
import { appendFailureOf } from './postgres-error-codes';
import { eventStoreSql, likePrefixPattern, toRecordedEvent, type EventRow } from './postgres-event-sql';
import { createEventStoreSchema, validateSchemaName } from './postgres-schema';
import { PostgresSnapshotStore } from './postgres-snapshot-store';
import { orOutage } from './postgres-outage';

export interface PostgresEventStoreOptions {
  /** e.g. `postgres://postgres@127.0.0.1:5432/stockade`. */
  readonly connectionString: string;
  /** Schema holding the tables, created if missing (default `stockade`; `[a-z_][a-z0-9_]*`, at most 50 characters). */
  readonly schema?: string;
  /** Connections in the pool, besides the one listening for other processes' appends (default 10). */
  readonly poolSize?: number;
  /** Source of `recordedAt` (default: the system clock). */
  readonly clock?: Clock;
}

/**
 * The EventStore on PostgreSQL (the distributed mode): any number of processes may share a
 * schema. Writers of one stream serialize on its row in `streams`; appends commit in
 * position order (see postgres-append-function.ts), so a reader tailing the global log never
 * passes an event that commits later.
 */
export class PostgresEventStore implements EventStore {
  private readonly sql: ReturnType<typeof eventStoreSql>;
  private readonly target: AppendTarget;
  private readonly snapshots: PostgresSnapshotStore;

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'stockade';
    validateSchemaName(schema);
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    // An idle connection that dies emits here; the next query simply gets a fresh connection.
    pool.on('error', () => undefined);
    const instanceId = randomUUID();
    const channel = `${schema}_appended`;
    try {
      await createEventStoreSchema(pool, schema);
      const notifications = await AppendNotifications.listen(
        { connectionString: options.connectionString },
        channel,
        instanceId,
      );
      return new PostgresEventStore(pool, notifications, { schema, channel, instanceId }, options.clock ?? systemClock);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  private constructor(
    private readonly pool: Pool,
    private readonly notifications: AppendNotifications,
    target: AppendTarget,
    private readonly clock: Clock,
  ) {
    this.sql = eventStoreSql(target.schema);
    this.target = target;
    this.snapshots = new PostgresSnapshotStore(pool, target.schema);
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, expectedVersion: options.expectedVersion, events }]);
    return result as AppendResult;
  }

  async appendToStreams(requests: readonly AppendRequest[], options: AppendOptions = {}): Promise<AppendResult[]> {
    if (requests.length === 0) return [];
    rejectStreamsNamedTwice(requests);
    rejectIdsRepeatedInCall(requests);
    const recordedAt = this.clock.now();
    const results = await orOutage('append', async () => {
      try {
        return await appendInOneCall(this.pool, this.target, requests, recordedAt, options.fences);
      } catch (error) {
        throw await this.translated(error, requests);
      }
    });
    if (results.some((result) => result.lastPosition > 0)) this.notifications.wake();
    return results;
  }

  async takeFence(name: string): Promise<number> {
    const { rows } = await orOutage('take fence', () => this.pool.query<{ epoch: string }>(this.sql.takeFence, [name]));
    return Number(rows[0]?.epoch);
  }

  async readStream(stream: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    const { rows } = await orOutage('read stream', () =>
      this.pool.query<EventRow>(this.sql.readStream, [stream, options.fromVersion ?? 0]),
    );
    return rows.map(toRecordedEvent);
  }

  async streamVersion(stream: string): Promise<number> {
    const { rows } = await orOutage('stream version', () =>
      this.pool.query<{ version: number }>(this.sql.streamVersion, [stream]),
    );
    return rows[0]?.version ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after = 0, limit = 1000, streamPrefixes } = options;
    const pageSize = Math.max(0, Math.floor(limit));
    if (!streamPrefixes)
      return (
        await orOutage('read all', () => this.pool.query<EventRow>(this.sql.readAll, [after, pageSize]))
      ).rows.map(toRecordedEvent);
    if (streamPrefixes.length === 0) return [];
    const patterns = streamPrefixes.map(likePrefixPattern);
    const { rows } = await orOutage('read all', () =>
      this.pool.query<EventRow>(this.sql.readAllWithPrefixes(patterns.length), [after, pageSize, ...patterns]),
    );
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    const { rows } = await orOutage('head position', () => this.pool.query<{ head: string }>(this.sql.headPosition));
    return Number(rows[0]?.head ?? 0);
  }

  onAppended(listener: () => void): () => void {
    return this.notifications.add(listener);
  }

  async readCheckpoint(name: string): Promise<number | undefined> {
    const { rows } = await orOutage('read checkpoint', () =>
      this.pool.query<{ position: string }>(this.sql.readCheckpoint, [name]),
    );
    return rows[0] === undefined ? undefined : Number(rows[0].position);
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    await orOutage('save checkpoint', () => this.pool.query(this.sql.saveCheckpoint, [name, position]));
  }

  snapshotStore(): SnapshotStore {
    return this.snapshots;
  }

  async close(): Promise<void> {
    await this.notifications.close();
    if (!this.pool.ended) await this.pool.end();
  }

  /**
   * Turns a failed append into the port's errors, after the rollback, so what it reports
   * (the stored duplicate id, the stream's committed version) is read without our rows.
   */
  private async translated(error: unknown, requests: readonly AppendRequest[]): Promise<unknown> {
    switch (appendFailureOf(error)) {
      case 'duplicate_event_id': {
        const ids = requests.flatMap((request) => request.events.map((event) => event.id));
        const { rows } = await this.pool.query<{ id: string }>(this.sql.storedIds, [ids]);
        return rows[0] ? new DuplicateEventId(rows[0].id) : error;
      }
      case 'stream_version_taken':
      case 'concurrent_transaction':
        return this.conflictAfterRollback(requests);
      case undefined:
        return error;
    }
  }

  /** Names the first stream whose expectation the committed state now refutes (else the first written one). */
  private async conflictAfterRollback(requests: readonly AppendRequest[]): Promise<ExpectedVersionConflict> {
    const { rows } = await this.pool.query<{ stream: string; version: number }>(this.sql.streamVersions, [
      requests.map((r) => r.stream),
    ]);
    const actual = new Map(rows.map((row) => [row.stream, row.version]));
    const refuted = requests.find(
      (request) => !satisfiesExpectedVersion(request.expectedVersion, actual.get(request.stream) ?? -1),
    );
    const named = refuted ?? requests.find((request) => request.events.length > 0) ?? (requests[0] as AppendRequest);
    return new ExpectedVersionConflict(named.stream, named.expectedVersion, actual.get(named.stream) ?? -1);
  }
}

/**
 * One multi-row INSERT cannot tell "repeated in this call" from "already stored" (both are
 * the same unique violation), so repeats are refused before the transaction starts.
 */
function rejectIdsRepeatedInCall(requests: readonly AppendRequest[]): void {
  const seen = new Set<string>();
  for (const event of requests.flatMap((request) => request.events)) {
    if (seen.has(event.id)) throw new DuplicateEventId(event.id);
    seen.add(event.id);
  }
}

import {
  ANY,
  BACKWARDS,
  END,
  jsonEvent,
  KurrentDBClient,
  START,
  type AllStreamRecordedEvent,
  type Filter,
  type MultiAppendResult,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { InvariantViolation, systemClock, type Clock } from '@stockade/kernel';
import { randomUUID } from 'node:crypto';
import { ExpectedVersionConflict, rejectStreamsNamedTwice, satisfiesExpectedVersion, refuseFences } from '../errors';
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
import { planAppend } from './kurrent-append-plan';
import { KurrentAppendNotifications } from './kurrent-append-notifications';
import { isStreamNotFound, translateAppendFailure } from './kurrent-error-translation';
import { decodeEvent, encodeEvent } from './kurrent-event-codec';
import { KnownPositions } from './kurrent-known-positions';
import { toKurrentPosition, toPortPosition } from './kurrent-position';
import { serverFilter } from './kurrent-server-filter';
import { KurrentSnapshotStore } from './kurrent-snapshot-store';
import { KurrentStreamNames } from './kurrent-stream-names';

export interface KurrentEventStoreOptions {
  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false`. */
  readonly connectionString: string;
  /**
   * Prepended to every stream name, and every read of $all is filtered to it: stores with
   * different prefixes share a database without seeing each other (default: none; must not
   * start with `$`). Tests use a random one per spec file.
   */
  readonly streamPrefix?: string;
  /** Source of `recordedAt` (default: the system clock). */
  readonly clock?: Clock;
}

/**
 * The EventStore on KurrentDB (EventStoreDB). Requires KurrentDB 25.1 or later:
 * appendToStreams is one `multiStreamAppend` (the v2 append session), which is what makes a
 * multi-stream append atomic; older servers refuse it with the client's UnsupportedError.
 * Every append goes through it, single-stream ones too, because each one also claims its
 * event ids (see planAppend).
 */
export class KurrentEventStore implements EventStore {
  private readonly known = new KnownPositions();
  private readonly snapshots: KurrentSnapshotStore;
  private closed = false;

  static async open(options: KurrentEventStoreOptions): Promise<KurrentEventStore> {
    const names = new KurrentStreamNames(options.streamPrefix ?? '');
    const client = KurrentDBClient.connectionString(options.connectionString);
    const writer = randomUUID();
    const store = new KurrentEventStore(
      client,
      names,
      new KurrentAppendNotifications(client, names.filter(), writer),
      writer,
      options.clock ?? systemClock,
    );
    try {
      // The client connects lazily; one read makes a wrong address fail here, not at the first append.
      await store.headPosition();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly names: KurrentStreamNames,
    private readonly notifications: KurrentAppendNotifications,
    private readonly writer: string,
    private readonly clock: Clock,
  ) {
    this.snapshots = new KurrentSnapshotStore(client, names);
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
    refuseFences(options, 'KurrentDB');
    if (requests.length === 0) return [];
    rejectStreamsNamedTwice(requests);
    const recordedAt = this.clock.now().toISOString();
    const plan = planAppend(requests, this.names, (event) => encodeEvent(event, { recordedAt, writer: this.writer }));
    const unwritten = await this.checkRequestsWithoutEvents(requests);
    if (plan.writing.length === 0)
      return requests.map((request) => ({
        stream: request.stream,
        nextExpectedVersion: unwritten.get(request.stream) ?? -1,
        lastPosition: 0,
      }));

    let outcome: MultiAppendResult;
    try {
      outcome = await this.client.multiStreamAppend(plan.kurrentRequests);
    } catch (error) {
      throw translateAppendFailure(error, plan.attempt);
    }
    const written = new Map(
      await Promise.all(
        plan.writing.map(
          async ({ request, stored }) => [request.stream, await this.lastEventWritten(stored, outcome)] as const,
        ),
      ),
    );
    this.notifications.wake();
    return requests.map(
      (request) =>
        written.get(request.stream) ?? {
          stream: request.stream,
          nextExpectedVersion: unwritten.get(request.stream) ?? -1,
          lastPosition: 0,
        },
    );
  }

  async readStream(stream: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    const fromRevision = BigInt(Math.max(0, Math.floor(options.fromVersion ?? 0)));
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.names.stored(stream), { fromRevision })) {
        if (resolved.event) events.push(this.decoded(resolved.event, stream));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  }

  async streamVersion(stream: string): Promise<number> {
    const last = await this.lastRecordOf(this.names.stored(stream));
    return last ? Number(last.revision) : -1;
  }

  /**
   * Forwards from `after` when it is a position this instance has seen (an exact record);
   * otherwise backwards from the end down to `after` (see KnownPositions). The server filters
   * by stream name; each event is checked again here, so the port's prefix semantics hold
   * whatever the server's filter does at the edges.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after = 0, limit = 1000, streamPrefixes } = options;
    const pageSize = Math.max(0, Math.floor(limit));
    if (pageSize === 0 || streamPrefixes?.length === 0) return [];
    const filter = serverFilter(this.names.filter(streamPrefixes));
    const portStreamOf = (stored: string): string | undefined => {
      const stream = this.names.portName(stored);
      return stream !== undefined && (!streamPrefixes || streamPrefixes.some((prefix) => stream.startsWith(prefix)))
        ? stream
        : undefined;
    };
    const page =
      after > 0 && !this.known.has(after)
        ? await this.readAllBackTo(after, filter, portStreamOf)
        : await this.readAllForwards(after, pageSize, filter, portStreamOf);
    const limited = page.slice(0, pageSize);
    const last = limited.at(-1);
    if (last) this.known.remember(last.position);
    return limited;
  }

  async headPosition(): Promise<number> {
    const filter = serverFilter(this.names.filter());
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter,
    })) {
      if (!resolved.event) continue;
      const head = toPortPosition(resolved.event.position);
      this.known.remember(head);
      return head;
    }
    return 0;
  }

  onAppended(listener: () => void): () => void {
    return this.notifications.add(listener);
  }

  /**
   * Checkpoints are events in `$stockade-checkpoint-<prefix><name>`; the last one is the
   * checkpoint. Events rather than stream metadata because saving is then an ordinary
   * append, readable like any stream; the stream's `$maxCount` is set to 1 on the first save
   * so that scavenging drops superseded checkpoints instead of keeping one per relay page.
   */
  async readCheckpoint(name: string): Promise<number | undefined> {
    const last = await this.lastRecordOf(this.names.checkpoint(name));
    const position = (last?.data as { position?: unknown } | undefined)?.position;
    return typeof position === 'number' ? position : undefined;
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    const stream = this.names.checkpoint(name);
    const saved = await this.client.appendToStream(
      stream,
      jsonEvent({ type: 'StockadeCheckpointSaved', data: { position } }),
      { streamState: ANY },
    );
    if (saved.nextExpectedRevision === 0n) await this.client.setStreamMetadata(stream, { maxCount: 1 });
  }

  snapshotStore(): SnapshotStore {
    return this.snapshots;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifications.close();
    await this.client.dispose();
  }

  /**
   * Requests without events are checked, not written (an empty append must not create the
   * stream). This read is not inside the transaction of the other requests, so in a mixed
   * call another writer could change such a stream between the check and the append.
   * KurrentDB 26.1's appendRecords takes consistency checks on unwritten streams and would
   * close that gap; we stay on 25.1's multiStreamAppend until that server is our minimum.
   */
  private async checkRequestsWithoutEvents(requests: readonly AppendRequest[]): Promise<Map<string, number>> {
    const checked = requests.filter((request) => request.events.length === 0);
    const versions = await Promise.all(checked.map((request) => this.streamVersion(request.stream)));
    checked.forEach((request, index) => {
      const actual = versions[index] as number;
      if (!satisfiesExpectedVersion(request.expectedVersion, actual))
        throw new ExpectedVersionConflict(request.stream, request.expectedVersion, actual);
    });
    return new Map(checked.map((request, index) => [request.stream, versions[index] as number]));
  }

  /**
   * multiStreamAppend answers with each stream's new revision and a single log position, so
   * the position of each stream's last event is read back, by the exact revision written (a
   * later writer's events cannot be mistaken for ours), from the leader (a follower may lag).
   */
  private async lastEventWritten(stored: string, outcome: MultiAppendResult): Promise<AppendResult> {
    const revision = outcome.responses.find((response) => response.streamName === stored)?.revision;
    if (revision === undefined) throw new InvariantViolation(`multiStreamAppend did not report stream ${stored}`);
    for await (const resolved of this.client.readStream(stored, {
      fromRevision: revision,
      maxCount: 1,
      requiresLeader: true,
    })) {
      if (!resolved.event) continue;
      const written = this.decoded(resolved.event, this.names.portName(stored) ?? stored);
      return { stream: written.stream, nextExpectedVersion: written.version, lastPosition: written.position };
    }
    throw new InvariantViolation(`stream ${stored} has no event at revision ${revision} right after writing it`);
  }

  private async lastRecordOf(stored: string): Promise<KurrentRecordedEvent | undefined> {
    try {
      for await (const resolved of this.client.readStream(stored, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (resolved.event) return resolved.event;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return undefined;
  }

  private async readAllForwards(
    after: number,
    pageSize: number,
    filter: Filter,
    portStreamOf: (stored: string) => string | undefined,
  ): Promise<RecordedEvent[]> {
    const page: RecordedEvent[] = [];
    // Starts on the event at `after` (inclusive), hence one more than a page.
    const fromPosition = after > 0 ? toKurrentPosition(after) : START;
    for await (const resolved of this.client.readAll({ fromPosition, maxCount: pageSize + 1, filter })) {
      const event = resolved.event ? this.fromLog(resolved.event, portStreamOf) : undefined;
      if (!event || event.position <= after) continue;
      page.push(event);
      if (page.length === pageSize) break;
    }
    return page;
  }

  /** Every event after `after`, oldest first; costs one event read per event after `after`. */
  private async readAllBackTo(
    after: number,
    filter: Filter,
    portStreamOf: (stored: string) => string | undefined,
  ): Promise<RecordedEvent[]> {
    const newestFirst: RecordedEvent[] = [];
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, filter })) {
      if (!resolved.event) continue;
      if (toPortPosition(resolved.event.position) <= after) break;
      const event = this.fromLog(resolved.event, portStreamOf);
      if (event) newestFirst.push(event);
    }
    return newestFirst.reverse();
  }

  private fromLog(
    record: AllStreamRecordedEvent,
    portStreamOf: (stored: string) => string | undefined,
  ): RecordedEvent | undefined {
    const stream = portStreamOf(record.streamId);
    return stream === undefined
      ? undefined
      : decodeEvent(record, { stream, position: toPortPosition(record.position) });
  }

  private decoded(record: KurrentRecordedEvent, stream: string): RecordedEvent {
    // Stream reads carry the log position from KurrentDB 22.6 on; this adapter needs 25.1.
    if (!record.position)
      throw new InvariantViolation(
        `KurrentDB returned no log position for ${record.streamId}@${record.revision}; the server is older than 22.6`,
      );
    const event = decodeEvent(record, { stream, position: toPortPosition(record.position) });
    this.known.remember(event.position);
    return event;
  }
}

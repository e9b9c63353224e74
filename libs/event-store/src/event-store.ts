/**
 * The EventStore port. Every adapter (memory, SQLite, PostgreSQL, KurrentDB) passes the one
 * contract suite in `testing/event-store-contract.ts`; nothing outside an adapter may rely on
 * behaviour that suite does not state.
 */
import type { SnapshotStore } from './snapshot-store';

/** Metadata every stored event carries; it becomes the integration message envelope. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string;
  readonly [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Deterministic where possible (derived from the command id), so a redelivery is recognisable. */
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly stream: string;
  /** 0-based position of the event inside its stream. */
  readonly version: number;
  /** 1-based, strictly increasing position in the store's global log (gaps allowed). */
  readonly position: number;
  readonly recordedAt: string;
}

/**
 * What the writer believes the stream's last version to be:
 * a number (the version of its last event), `'no_stream'` (must not exist yet),
 * `'stream_exists'`, or `'any'` (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendRequest {
  readonly stream: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
}

/**
 * A fencing token: the epoch of a named fence (one per inventory shard, ADR 0020) as its holder
 * took it. An append that carries fences is stored only while each is still at that epoch.
 */
export interface Fence {
  readonly name: string;
  readonly epoch: number;
}

export interface AppendOptions {
  /** Refuse the whole call with FenceLost, writing nothing, unless every fence is still at its epoch. */
  readonly fences?: readonly Fence[];
}

export interface AppendResult {
  readonly stream: string;
  /** Version of the stream's last event after the append (-1 if the stream is still empty). */
  readonly nextExpectedVersion: number;
  /** Global position of the last event written (0 when nothing was written). */
  readonly lastPosition: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with `position > after` are returned. 0 reads from the beginning. */
  readonly after?: number;
  /** At most this many events (default 1000). */
  readonly limit?: number;
  /**
   * Only streams whose name starts with one of these prefixes, e.g. `['reservation-']`
   * (case-sensitive, no wildcards; an empty list matches nothing).
   */
  readonly streamPrefixes?: readonly string[];
}

export interface EventStore {
  /** Appends atomically to one stream, or throws ExpectedVersionConflict. */
  appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;
  /**
   * Appends to several streams in one atomic transaction: every request is written, or none
   * (an ExpectedVersionConflict on any stream rolls back all). This is what makes a
   * multi-line reservation all-or-nothing across per-SKU streams, and lets a group commit
   * write many commands' events at once. A stream appears at most once per call
   * (merge its events into one request), else the call is rejected with a ValidationError
   * before writing. An event id already stored, or repeated in the call, rejects the whole
   * call with DuplicateEventId. A request with no events writes nothing (the stream is not
   * created) but its expected version is still checked.
   */
  appendToStreams(requests: readonly AppendRequest[], options?: AppendOptions): Promise<AppendResult[]>;
  /**
   * Optional (PostgreSQL, memory): takes the named fence for a new holder, moving its epoch up by
   * one (the first take gives 1), and resolves with the new epoch once no append under an older
   * epoch can still commit. Appends fenced with an older epoch are refused from then on. An adapter
   * without it refuses appends that carry fences.
   */
  takeFence?(name: string): Promise<number>;
  /** Events of one stream in version order, from `fromVersion` (inclusive, default 0). */
  readStream(stream: string, options?: { fromVersion?: number }): Promise<RecordedEvent[]>;
  /** Version of the stream's last event, or -1 when the stream does not exist. */
  streamVersion(stream: string): Promise<number>;
  /** A page of the global log, in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The highest global position written so far (0 for an empty store). */
  headPosition(): Promise<number>;
  /**
   * Calls `listener` after events were appended by this process (a latency hint for relays
   * and projections; they must still poll, since other processes may write too). It runs
   * after the commit and before the append resolves, only when events were written; it must
   * not throw. Returns a function that removes the listener.
   */
  onAppended(listener: () => void): () => void;
  /**
   * Optional: a number that changes whenever someone other than this store object (another
   * connection, thread or process) has appended since it was last read; this object's own appends
   * leave it as it is. A cache that remembers the number it validated at can skip re-checking
   * stream versions while it stays the same. Absent when the adapter cannot tell.
   */
  externalWriteMarker?(): number;
  /** Named checkpoints (relay and projection positions) stored next to the events. */
  readCheckpoint(name: string): Promise<number | undefined>;
  saveCheckpoint(name: string, position: number): Promise<void>;
  /**
   * The snapshots kept next to these events, on the same connection (its own contract suite:
   * `testing/snapshot-store-contract.ts`). It lives and closes with this store. Saving a snapshot
   * appends no event (the global log and head position stay as they are), and, sharing the
   * connection, does not move this store's external write marker.
   */
  snapshotStore(): SnapshotStore;
  close(): Promise<void>;
}

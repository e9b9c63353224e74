import type { SnapshotStore } from '@stockade/event-store';
import type { SnapshotCodec } from './snapshot-codec';
import { SnapshotSaver } from './snapshot-saver';

/**
 * A SKU fewer events than this past its snapshot is not snapshotted on stop: its next cold load
 * stays within about 1.5× a fresh SKU's (docs/benchmarks.md), and the stop saves the write.
 */
export const STOP_SNAPSHOT_MIN_EVENTS = 4;

/** How long a stop spends on snapshots at most: what is left loads with a longer tail, nothing worse. */
export const STOP_SNAPSHOT_BUDGET_MS = 5_000;

/** A snapshot this version can read, not yet checked against its stream (StreamCache does that). */
export interface ReadableSnapshot<State> {
  readonly state: State;
  readonly version: number;
  readonly eventId: string;
}

export interface StreamSnapshotsOptions<State> {
  readonly store: SnapshotStore;
  readonly codec: SnapshotCodec<State>;
  /** A stream gets a new snapshot once it is this many events past its last one. */
  readonly interval: number;
  /** Told about snapshots that could not be saved (the next cold load folds more events instead). */
  readonly onSaveError?: (error: unknown, streams: readonly string[]) => void;
}

/** A state encoded for a snapshot, waiting for the id of the event it was taken after. */
export interface CapturedState {
  readonly encoded: unknown;
}

/** The snapshots of one kind of stream (stock): which to read, when to take one, how to save it. */
export class StreamSnapshots<State> {
  private readonly saver: SnapshotSaver;

  constructor(private readonly options: StreamSnapshotsOptions<State>) {
    this.saver = new SnapshotSaver(options.store, options.onSaveError);
  }

  /** The stream's latest snapshot, or undefined when there is none or it is of a schema this version does not read. */
  async latest(stream: string): Promise<ReadableSnapshot<State> | undefined> {
    const snapshot = await this.options.store.load(stream);
    if (!snapshot) return undefined;
    const state = this.options.codec.decode(snapshot.state, snapshot.schemaVersion);
    return state === undefined ? undefined : { state, version: snapshot.version, eventId: snapshot.eventId };
  }

  isDue(eventsSinceSnapshot: number): boolean {
    return eventsSinceSnapshot >= this.options.interval;
  }

  /** Encodes the state now (the caller may change it right after) and saves it in the background. */
  take(stream: string, state: State, version: number, eventId: string): void {
    this.save(stream, this.capture(state), version, eventId);
  }

  /** The first half of `take`, for when the event id is only known later. */
  capture(state: State): CapturedState {
    return { encoded: this.options.codec.encode(state) };
  }

  save(stream: string, captured: CapturedState, version: number, eventId: string): void {
    this.saver.push({
      stream,
      version,
      eventId,
      schemaVersion: this.options.codec.schemaVersion,
      state: captured.encoded,
    });
  }

  /** Resolves when every snapshot taken so far was saved (or its failure reported). */
  whenSaved(): Promise<void> {
    return this.saver.whenIdle();
  }
}

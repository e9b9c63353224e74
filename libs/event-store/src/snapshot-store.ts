/**
 * The SnapshotStore port: the folded state of a stream at one of its versions, kept next to the
 * events so that loading a long stream reads the snapshot and only the events after it. A
 * snapshot is a cache, never the truth: the events are. A reader checks a snapshot against the
 * stream before trusting it (`eventId`), ignores one whose `schemaVersion` it does not know, and
 * anyone may delete snapshots at any time. Every EventStore adapter offers one
 * (`EventStore.snapshotStore()`), sharing its connection; the contract suite in
 * `testing/snapshot-store-contract.ts` states what callers may rely on. See ADR 14.
 */
export interface Snapshot {
  readonly stream: string;
  /** Version of the last event folded into `state`. */
  readonly version: number;
  /**
   * Id of that event. A reader compares it with the event the stream holds at `version`: a
   * mismatch (the store was reset and the stream written again) or a missing event (the store
   * was reset, the stream is shorter) means the snapshot belongs to another history.
   */
  readonly eventId: string;
  /** Version of the state's encoding, chosen by the writer; a reader ignores one it does not know. */
  readonly schemaVersion: number;
  /** A JSON value (objects, arrays, strings, finite numbers, booleans, null). */
  readonly state: unknown;
}

export interface SnapshotStore {
  /** The snapshot last saved for the stream, or undefined when there is none. */
  load(stream: string): Promise<Snapshot | undefined>;
  /**
   * Saves the snapshots, each replacing whatever its stream had (the last save wins, even one
   * at a lower version: after a store reset the older history is the one to forget). A stream
   * named twice in one call keeps the later entry. Resolves when they are durable. The states
   * are copied before this returns, so the caller may change its objects afterwards.
   */
  save(snapshots: readonly Snapshot[]): Promise<void>;
}

/** The last entry per stream, in first-seen order: what one call to `save` stores. */
export function lastSnapshotPerStream(snapshots: readonly Snapshot[]): Snapshot[] {
  return [...new Map(snapshots.map((snapshot) => [snapshot.stream, snapshot])).values()];
}

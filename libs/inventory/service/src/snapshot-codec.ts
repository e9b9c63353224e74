/**
 * How one kind of aggregate state becomes a snapshot and back. `schemaVersion` is stored with
 * every snapshot; a reader ignores snapshots of a version its codec does not decode and folds the
 * stream instead, so changing the encoding, or what the state means (a new event type folded into
 * it), only needs a new number, never a migration.
 */
export interface SnapshotCodec<State> {
  readonly schemaVersion: number;
  /** A JSON value detached from `state`: the writer goes on changing its state in place. */
  encode(state: State): unknown;
  /**
   * The state, or undefined when `data` is not a state this codec reads: `schemaVersion` is the
   * snapshot's, so a codec may still read an older version whose states mean the same today.
   */
  decode(data: unknown, schemaVersion: number): State | undefined;
}

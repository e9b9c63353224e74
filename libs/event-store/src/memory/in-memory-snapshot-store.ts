import { lastSnapshotPerStream, type Snapshot, type SnapshotStore } from '../snapshot-store';

/**
 * Snapshots in a process's memory, for the in-memory event store. Each state is kept as JSON
 * text, so what comes back is a copy, as from a database, and a caller changing its object
 * after `save` cannot change the snapshot.
 */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly snapshots = new Map<string, Omit<Snapshot, 'state'> & { readonly json: string }>();

  async load(stream: string): Promise<Snapshot | undefined> {
    const stored = this.snapshots.get(stream);
    if (!stored) return undefined;
    const { json, ...snapshot } = stored;
    return { ...snapshot, state: JSON.parse(json) as unknown };
  }

  async save(snapshots: readonly Snapshot[]): Promise<void> {
    for (const { state, ...snapshot } of lastSnapshotPerStream(snapshots)) {
      this.snapshots.set(snapshot.stream, { ...snapshot, json: JSON.stringify(state) });
    }
  }
}

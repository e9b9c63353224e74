import type { Snapshot, SnapshotStore } from '@stockade/event-store';

/** Most snapshots in one save: keeps a transaction (and a PostgreSQL statement) of bounded size. */
const MOST_PER_SAVE = 1_000;

/**
 * Saves snapshots off the writer's hot path: `push` only queues, one save at a time runs in
 * the background, and a stream pushed again before its turn keeps only its newest snapshot.
 * Saves run in push order, so a stream's snapshots never overtake each other. A failed save is
 * reported and dropped: a missing snapshot only makes the next cold load fold more events.
 */
export class SnapshotSaver {
  private readonly pending = new Map<string, Snapshot>();
  private saving: Promise<void> | undefined;

  constructor(
    private readonly store: SnapshotStore,
    private readonly onError: (error: unknown, streams: readonly string[]) => void = () => undefined,
  ) {}

  push(snapshot: Snapshot): void {
    this.pending.delete(snapshot.stream); // re-insert: the newest goes to the back of the line
    this.pending.set(snapshot.stream, snapshot);
    this.saving ??= this.drain();
  }

  /** Resolves when everything pushed so far was saved or reported (for a graceful stop and for tests). */
  async whenIdle(): Promise<void> {
    while (this.saving) await this.saving;
  }

  private async drain(): Promise<void> {
    try {
      // Let the rest of this turn (the batch that pushed) finish first, and push more.
      await Promise.resolve();
      while (this.pending.size > 0) {
        const batch = this.takeOldest(MOST_PER_SAVE);
        try {
          await this.store.save(batch);
        } catch (error) {
          this.onError(
            error,
            batch.map((snapshot) => snapshot.stream),
          );
        }
      }
    } finally {
      this.saving = undefined;
    }
  }

  private takeOldest(count: number): Snapshot[] {
    const taken: Snapshot[] = [];
    for (const [stream, snapshot] of this.pending) {
      if (taken.length === count) break;
      taken.push(snapshot);
      this.pending.delete(stream);
    }
    return taken;
  }
}

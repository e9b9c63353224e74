/**
 * The queue in front of a single writer: items submitted while a batch is being written
 * wait, and go together into the next batch (up to `maxBatchSize`). Under load a batch grows
 * to whatever arrived during one append, which is what makes group commit cheap.
 */
export class GroupCommitQueue<Item> {
  private queue: Item[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly writeBatch: (batch: readonly Item[]) => Promise<void>,
    private readonly maxBatchSize: number,
  ) {}

  /** `writeBatch` settles each item itself; it must not throw. */
  push(item: Item): void {
    this.queue.push(item);
    // Start on the next microtask, so items submitted together (Promise.all) share a batch.
    if (!this.draining) this.draining = Promise.resolve().then(() => this.drain());
  }

  /** True while no batch is being written: between two awaits, nothing is half decided. */
  get idle(): boolean {
    return this.draining === undefined;
  }

  /** Resolves when every item pushed so far was written (for a graceful stop). */
  async whenIdle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.writeBatch(this.queue.splice(0, this.maxBatchSize));
    } finally {
      this.draining = undefined;
    }
  }
}

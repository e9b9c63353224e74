/**
 * Runs tasks one at a time per key, in arrival order; different keys run concurrently.
 * This makes each order single-writer inside the process, so optimistic concurrency on the
 * stream only matters when another process writes the same order (DESIGN.md: hot keys).
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<Result>(key: string, task: () => Promise<Result>): Promise<Result> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    // The next task waits for this one whether it succeeded or failed.
    const tail = result.then(settled, settled);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (the map is emptied as queues drain, so it does not grow). */
  get activeKeys(): number {
    return this.tails.size;
  }
}

function settled(): void {}

/**
 * Lets an idle partition fetcher sleep until something may have changed, without polling.
 * The generation counter closes the race between "read found nothing" and "start waiting":
 * a fetcher remembers the generation before reading and only sleeps if nobody notified since.
 */
export class WakeSignal {
  private generationCount = 0;
  private waiters: Array<() => void> = [];

  get generation(): number {
    return this.generationCount;
  }

  notify(): void {
    this.generationCount++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at the next notify, or at once if one happened after `seenGeneration`. */
  waitSince(seenGeneration: number): Promise<void> {
    if (seenGeneration !== this.generationCount) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * A pass of work run now and then every `intervalMs`, one at a time: a slow pass never overlaps
 * the next tick, and `stop` waits for the one in flight. The durable timers (reservation expiry,
 * the answer deadline of orders in parts) are such passes over the event log.
 */
export class SerialPasses<Result> {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: Promise<Result>;

  constructor(
    private readonly pass: () => Promise<Result>,
    /** What a failed pass counts as for the next one (passes chain on failure too). */
    private readonly afterFailure: Result,
  ) {
    this.last = Promise.resolve(afterFailure);
  }

  /** Runs a pass after the one in flight, if any. */
  run(): Promise<Result> {
    this.last = this.last.catch(() => this.afterFailure).then(() => this.pass());
    return this.last;
  }

  /** One pass now (its failure is the caller's), then one every `intervalMs` (their failures are the pass's to report). */
  async start(intervalMs: number): Promise<void> {
    await this.run();
    if (this.timer) return;
    this.timer = setInterval(() => void this.run().catch(() => undefined), intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.last.catch(() => undefined);
  }
}

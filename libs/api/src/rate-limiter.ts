/**
 * A token bucket per caller: `ratePerSecond` requests a second on average, bursts of up to
 * `burst`. A caller past it is told how long to wait. The map of callers is bounded: the longest
 * idle ones are forgotten first (a forgotten caller starts with a full bucket, which is harmless).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxCallers = 10_000,
  ) {}

  /** Takes one request from the caller's bucket: undefined when allowed, else the seconds to wait. */
  take(caller: string, nowMs: number): number | undefined {
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: nowMs };
    const tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.ratePerSecond);
    // Re-inserted last: Map order is then least recently seen first, which is what eviction drops.
    this.buckets.delete(caller);
    if (tokens < 1) {
      this.buckets.set(caller, { tokens, at: nowMs });
      return Math.max(1, Math.ceil((1 - tokens) / this.ratePerSecond));
    }
    this.buckets.set(caller, { tokens: tokens - 1, at: nowMs });
    if (this.buckets.size > this.maxCallers) this.buckets.delete(this.buckets.keys().next().value as string);
    return undefined;
  }
}

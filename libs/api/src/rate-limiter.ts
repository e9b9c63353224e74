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
    const { granted, retryAfterS } = this.takeUpTo(caller, 1, nowMs);
    return granted === 1 ? undefined : retryAfterS;
  }

  /**
   * Takes as many of `wanted` requests as the bucket holds (a batch charged per item): how many
   * were granted, and the seconds after which the next one would be.
   */
  takeUpTo(caller: string, wanted: number, nowMs: number): { granted: number; retryAfterS: number } {
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: nowMs };
    const tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.ratePerSecond);
    const granted = Math.max(0, Math.min(wanted, Math.floor(tokens)));
    const left = tokens - granted;
    // Re-inserted last: Map order is then least recently seen first, which is what eviction drops.
    this.buckets.delete(caller);
    this.buckets.set(caller, { tokens: left, at: nowMs });
    if (this.buckets.size > this.maxCallers) this.buckets.delete(this.buckets.keys().next().value as string);
    return { granted, retryAfterS: Math.max(1, Math.ceil((1 - left) / this.ratePerSecond)) };
  }
}

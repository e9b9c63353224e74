/**
 * The orders this process accepted and has not yet seen end: the count checkout admission limits
 * (ordering's own, so changing how metrics are kept cannot change who is admitted; metrics only
 * read it). An outcome ends an order and wakes whoever waits for room, at once, without polling.
 *
 * An order whose outcome this process never sees (one consumed before a restart, another
 * instance's group) is dropped after `staleAfterMs`: a missed outcome can make admission more
 * permissive, never stuck.
 */
export class OrdersInFlight {
  /** Accepted here, not yet ended: acceptance times, oldest first (a Map keeps insertion order). */
  private readonly acceptedAt = new Map<string, number>();
  private readonly freedListeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly staleAfterMs: number;
  private readonly maxTracked: number;

  constructor(
    options: { readonly now?: () => number; readonly staleAfterMs?: number; readonly maxTracked?: number } = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.maxTracked = options.maxTracked ?? 1_000_000;
  }

  accepted(orderId: string): void {
    if (this.acceptedAt.size < this.maxTracked) this.acceptedAt.set(orderId, this.now());
  }

  /** An order's outcome arrived: it no longer counts. Returns how long it was in flight here (ms), if it was accepted here. */
  ended(orderId: string): number | undefined {
    const acceptedAt = this.acceptedAt.get(orderId);
    if (acceptedAt === undefined) return undefined;
    this.acceptedAt.delete(orderId);
    this.freed();
    return this.now() - acceptedAt;
  }

  /** Orders in flight now, after dropping those older than the stale limit. */
  count(): number {
    const cutoff = this.now() - this.staleAfterMs;
    let dropped = false;
    for (const [orderId, acceptedAt] of this.acceptedAt) {
      if (acceptedAt >= cutoff) break;
      this.acceptedAt.delete(orderId);
      dropped = true;
    }
    if (dropped) this.freed();
    return this.acceptedAt.size;
  }

  /** Called whenever room may have been freed; returns the unsubscribe. */
  onFreed(listener: () => void): () => void {
    this.freedListeners.add(listener);
    return () => this.freedListeners.delete(listener);
  }

  private freed(): void {
    for (const listener of this.freedListeners) listener();
  }
}

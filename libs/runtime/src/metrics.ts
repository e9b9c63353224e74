import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OrderOutcome, StockLevelChangedV1 } from '@stockade/contracts';

/**
 * Prometheus metrics for operators (served at /metrics). They are fed from the same topics any
 * other consumer reads, so they describe what the system published, not what a process hoped.
 */
export class StockadeMetrics {
  readonly registry = new Registry();
  private readonly ordersTerminal = new Counter({ name: 'stockade_orders_terminal_total', help: 'Orders that reached a terminal state', labelNames: ['status'], registers: [this.registry] });
  private readonly checkoutToTerminal = new Histogram({
    name: 'stockade_checkout_to_terminal_seconds',
    help: 'From the checkout being accepted to its terminal outcome',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly checkoutsAccepted = new Counter({ name: 'stockade_checkouts_accepted_total', help: 'Checkouts accepted over HTTP (new orders)', registers: [this.registry] });
  readonly deadLetters = new Counter({ name: 'stockade_dead_letters_total', help: 'Messages sent to a dead-letter topic', labelNames: ['topic'], registers: [this.registry] });
  private readonly stockAvailable = new Gauge({ name: 'stockade_stock_available', help: 'Available units per SKU (onHand - reserved)', labelNames: ['sku'], registers: [this.registry] });
  private readonly inFlight = new Gauge({ name: 'stockade_orders_in_flight', help: 'Orders accepted by this process and not yet terminal', registers: [this.registry], collect: () => undefined });
  /** Accepted here, not yet terminal: start times, oldest first (Map keeps insertion order). */
  private readonly placedAt = new Map<string, number>();

  constructor(collectProcessMetrics = true) {
    if (collectProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'stockade_' });
  }

  orderAccepted(orderId: string): void {
    this.checkoutsAccepted.inc();
    if (this.placedAt.size < 1_000_000) this.placedAt.set(orderId, performance.now());
    this.inFlight.set(this.placedAt.size);
  }

  /**
   * Orders accepted here and not yet terminal. Entries older than `staleAfterMs` are dropped
   * first (an outcome this process never saw, e.g. one consumed before a restart), so a missed
   * outcome can make admission more permissive, never stuck.
   */
  ordersInFlight(staleAfterMs = 5 * 60_000): number {
    const cutoff = performance.now() - staleAfterMs;
    for (const [orderId, startedAt] of this.placedAt) {
      if (startedAt >= cutoff) break;
      this.placedAt.delete(orderId);
    }
    this.inFlight.set(this.placedAt.size);
    return this.placedAt.size;
  }

  /** Handler for order.events (its own consumer group). */
  async recordOrderOutcome(rawValue: string): Promise<void> {
    const parsed = OrderOutcome.safeParse(JSON.parse(rawValue));
    if (!parsed.success) return;
    const status = parsed.data.type === 'OrderCompleted.v1' ? 'COMPLETED' : parsed.data.type === 'OrderRejected.v1' ? 'REJECTED' : 'CANCELLED';
    this.ordersTerminal.inc({ status });
    const started = this.placedAt.get(parsed.data.data.orderId);
    if (started !== undefined) {
      this.checkoutToTerminal.observe((performance.now() - started) / 1000);
      this.placedAt.delete(parsed.data.data.orderId);
      this.inFlight.set(this.placedAt.size);
    }
  }

  /** Handler for inventory.stock-levels. */
  async recordStockLevel(rawValue: string): Promise<void> {
    const parsed = StockLevelChangedV1.safeParse(JSON.parse(rawValue));
    if (parsed.success) this.stockAvailable.set({ sku: parsed.data.data.sku }, parsed.data.data.available);
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

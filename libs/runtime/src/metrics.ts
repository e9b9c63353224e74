import { getHeapStatistics } from 'node:v8';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  MetricObjectWithValues,
  MetricValue,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import { deadLetterTopic, OrderOutcome, StockLevelChangedV1 } from '@stockade/contracts';
import { BusBacklog } from '@stockade/messaging';

export interface StockadeMetricsOptions {
  /** Process metrics (CPU, memory, event loop lag). Off where another registry of the same process has them (a worker thread). */
  readonly collectProcessMetrics?: boolean;
  /**
   * SKUs that get a `stockade_stock_available{sku}` series of their own. Per-SKU series are
   * opt-in: a catalog of 100,000 SKUs must not make 100,000 series (every SKU is counted in
   * `stockade_skus{status}` either way). Default: none.
   */
  readonly watchedSkus?: readonly string[];
  /** How long one scrape waits for the bus or a store before leaving a backlog gauge empty (default 2 s). */
  readonly collectTimeoutMs?: number;
  /** The `thread` label of this registry's heap series: `main`, or the worker thread's name (`inventory`). */
  readonly threadName?: string;
}

/** The consumer groups of a process and the topics each reads. */
export type ConsumerTopics = ReadonlyMap<string, readonly string[]>;

/** What the saga's telemetry hook reports (ordering-service's SagaTelemetry, by shape). */
export interface SagaSignalsRecord {
  readonly ended?: { readonly outcome: string; readonly durationMs: number };
  readonly compensation?: string;
}

type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * Prometheus metrics for operators (served at /metrics): what they alert on. Backlogs (consumer
 * lag, outbox relay lag, dead letters waiting) are read from the bus and the stores at scrape
 * time, so they are true even for work this process never saw; saga outcomes, compensations,
 * expiries and refusals are counted where they happen. docs/operations.md lists them with the
 * alert each one is for.
 */
export class StockadeMetrics {
  readonly registry = new Registry();
  private readonly collectTimeoutMs: number;
  private readonly watchedSkus: ReadonlySet<string>;
  /** A SKU's last known status, to count SKUs per status without a series per SKU. */
  private readonly skuStatus = new Map<string, string>();
  private readonly backlogs: { readonly bus: BusBacklog; readonly consumers: () => ConsumerTopics }[] = [];
  private readonly relays = new Map<string, () => Promise<number>>();
  private readonly threads: (() => Promise<MetricsSnapshot>)[] = [];

  private readonly ordersTerminal = new Counter({
    name: 'stockade_orders_terminal_total',
    help: 'Orders that reached a terminal state (counted from order.events)',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly checkoutToTerminal = new Histogram({
    name: 'stockade_checkout_to_terminal_seconds',
    help: 'From a checkout accepted by this process to its terminal outcome',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly sagaDuration = new Histogram({
    name: 'stockade_saga_duration_seconds',
    help: 'From an order being placed to the saga storing its outcome, by outcome',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });
  private readonly compensations = new Counter({
    name: 'stockade_compensations_total',
    help: 'Sagas that began giving back reserved stock, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly expiries = new Counter({
    name: 'stockade_reservations_expired_total',
    help: 'Reservations released by the expiry timer (held past their TTL)',
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'stockade_checkouts_refused_total',
    help: 'Checkouts refused with 503 by back-pressure, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly httpRefusals = new Counter({
    name: 'stockade_http_refusals_total',
    help: 'Requests the HTTP edge refused before reading their body (unauthorized, rate_limited, unsupported_media_type), and connections refused past STOCKADE_MAX_CONNECTIONS_PER_ADDRESS (connection_cap)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly checkoutsAccepted = new Counter({
    name: 'stockade_checkouts_accepted_total',
    help: 'Checkouts accepted (new orders), over HTTP and from the checkout topics',
    registers: [this.registry],
  });
  private readonly stockAvailable = new Gauge({
    name: 'stockade_stock_available',
    help: 'Available units (onHand - reserved) of the watched SKUs (STOCKADE_METRICS_SKUS)',
    labelNames: ['sku'],
    registers: [this.registry],
  });
  private liveSource: { readonly openStreams: number; readonly backlog: number } | undefined;
  private readonly liveStreams: Gauge = new Gauge({
    name: 'stockade_live_streams',
    help: 'Live stock streams open (GET /inventory/stream, /ops/stock-stream)',
    registers: [this.registry],
    collect: () => this.liveSource && this.liveStreams.set(this.liveSource.openStreams),
  });
  private readonly liveBacklog: Gauge = new Gauge({
    name: 'stockade_live_stream_backlog',
    help: 'Levels waiting for slow live-stream clients (at most one per SKU each follows)',
    registers: [this.registry],
    collect: () => this.liveSource && this.liveBacklog.set(this.liveSource.backlog),
  });
  /** Inventory shards (ADR 0020): 1 per shard this instance owns; summed over instances, every shard should be 1. */
  private readonly shardsOwned = new Gauge({
    name: 'stockade_inventory_shard_owned',
    help: 'Inventory shards this instance writes (1) or not (0), by shard (STOCKADE_INVENTORY_SHARDS above 1)',
    labelNames: ['shard'],
    registers: [this.registry],
  });
  private readonly fenceRefusals = new Counter({
    name: 'stockade_inventory_fence_refusals_total',
    help: "Appends of this instance refused by a shard's fence: another instance had taken the shard (a deposed owner woke up, or a rebalance overtook a batch)",
    labelNames: ['shard'],
    registers: [this.registry],
  });
  /** Read from ordering's count (readOrdersInFlight) at each scrape: admission decides by it, metrics only show it. */
  private ordersInFlightSource: (() => number) | undefined;
  private readonly inFlight = new Gauge({
    name: 'stockade_orders_in_flight',
    help: 'Orders accepted by this process and not yet terminal',
    registers: [this.registry],
    collect: () => {
      if (this.ordersInFlightSource) this.inFlight.set(this.ordersInFlightSource());
    },
  });
  private readonly collectFailures = new Counter({
    name: 'stockade_metrics_collect_failures_total',
    help: 'Scrapes that could not read a backlog (bus or store unreachable or too slow); that gauge is left empty',
    labelNames: ['metric'],
    registers: [this.registry],
  });

  constructor(options: boolean | StockadeMetricsOptions = true) {
    const settings: StockadeMetricsOptions =
      typeof options === 'boolean' ? { collectProcessMetrics: options } : options;
    this.collectTimeoutMs = settings.collectTimeoutMs ?? 2_000;
    this.watchedSkus = new Set(settings.watchedSkus ?? []);
    if (settings.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'stockade_' });
    threadHeapGauges(this.registry, settings.threadName ?? 'main');
    // prom-client calls collect() with the gauge as `this`; the collectors read this object's state.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const metrics = this;
    new Gauge({
      name: 'stockade_skus',
      help: 'SKUs by stock status (IN_STOCK, LIMITED, OUT_OF_STOCK), from the stock-level topic',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const status of metrics.skuStatus.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'stockade_consumer_lag_messages',
      help: 'Messages published and not yet committed by a consumer group, per topic and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [this.registry],
      async collect() {
        const rows = await metrics.collecting('consumer_lag', async () => {
          const lags: { labels: Record<string, string>; value: number }[] = [];
          for (const { bus, consumers } of metrics.backlogs) {
            for (const [group, topics] of consumers()) {
              for (const lag of await bus.consumerLag(group, topics))
                lags.push({
                  labels: { group, topic: lag.topic, partition: String(lag.partition) },
                  value: lag.messages,
                });
            }
          }
          return lags;
        });
        this.reset();
        rows?.forEach(({ labels, value }) => this.set(labels, value));
      },
    });
    new Gauge({
      name: 'stockade_dead_letters',
      help: 'Messages waiting in the dead-letter topic of a topic this process consumes (replayed ones stay until retention removes them)',
      labelNames: ['topic'],
      registers: [this.registry],
      async collect() {
        const rows = await metrics.collecting('dead_letters', async () => {
          const depths = new Map<string, number>();
          for (const { bus, consumers } of metrics.backlogs) {
            const deadLetterTopics = [...new Set([...consumers().values()].flat())].map(deadLetterTopic);
            for (const partition of await bus.retainedMessages(deadLetterTopics))
              depths.set(partition.topic, (depths.get(partition.topic) ?? 0) + partition.messages);
          }
          return depths;
        });
        this.reset();
        rows?.forEach((messages, topic) => this.set({ topic }, messages));
      },
    });
    new Gauge({
      name: 'stockade_outbox_relay_lag_events',
      help: 'Events stored and not yet published by an outbox relay (store head position - relay checkpoint)',
      labelNames: ['relay'],
      registers: [this.registry],
      async collect() {
        const rows = await metrics.collecting('outbox_relay_lag', () =>
          Promise.all([...metrics.relays].map(async ([relay, lag]) => ({ relay, value: await lag() }))),
        );
        this.reset();
        rows?.forEach(({ relay, value }) => this.set({ relay }, value));
      },
    });
  }

  /** Consumer lag and dead-letter depth for the groups (and their topics) this process consumes in. */
  watchBacklog(bus: BusBacklog, consumers: () => ConsumerTopics): void {
    this.backlogs.push({ bus, consumers });
  }

  /** Open live streams and what slow clients wait for, read at scrape time. */
  watchLiveStreams(source: { readonly openStreams: number; readonly backlog: number }): void {
    this.liveSource = source;
  }

  /** An outbox relay's lag, read at scrape time. */
  watchRelay(name: string, lag: () => Promise<number>): void {
    this.relays.set(name, lag);
  }

  /** Metrics of another registry of this process (a worker thread's), merged into every render. */
  includeThread(snapshot: () => Promise<MetricsSnapshot>): void {
    this.threads.push(snapshot);
  }

  /** The saga's telemetry hook: durations by outcome, compensations by reason. */
  recordSaga(signals: SagaSignalsRecord): void {
    if (signals.ended) this.sagaDuration.observe({ outcome: signals.ended.outcome }, signals.ended.durationMs / 1000);
    if (signals.compensation) this.compensations.inc({ reason: signals.compensation });
  }

  /** The consumer's new assignment of inventory.commands: which of the `shards` this instance owns now. */
  inventoryShardsOwned(shards: number, owned: readonly number[]): void {
    const mine = new Set(owned);
    for (let shard = 0; shard < shards; shard++)
      this.shardsOwned.set({ shard: String(shard) }, mine.has(shard) ? 1 : 0);
  }

  inventoryFenceRefused(shard: number): void {
    this.fenceRefusals.inc({ shard: String(shard) });
  }

  reservationsExpired(count: number): void {
    this.expiries.inc(count);
  }

  /** A request or connection the HTTP edge refused (RefusalReason of @stockade/api). */
  countHttpRefusal(reason: string): void {
    this.httpRefusals.inc({ reason });
  }

  checkoutRefused(reason: string): void {
    this.refusals.inc({ reason });
  }

  /** A checkout accepted by this process's admission (the order is ordering's to count in flight). */
  orderAccepted(_orderId: string): void {
    this.checkoutsAccepted.inc();
  }

  /** The gauge of orders in flight shows ordering's own count (OrdersInFlight), read at each scrape. */
  readOrdersInFlight(source: () => number): void {
    this.ordersInFlightSource = source;
  }

  /** An order.events message as it is on the topic (the golden fixtures' test); a message that is no outcome is ignored. */
  async recordOrderOutcome(rawValue: string, inFlightMs?: number): Promise<void> {
    const parsed = OrderOutcome.safeParse(JSON.parse(rawValue));
    if (parsed.success) this.countOrderOutcome(parsed.data, inFlightMs);
  }

  /**
   * An order's outcome, read once by ordering's outcome consumer: counted by status and, for an
   * order this process accepted, how long it took (`inFlightMs`, from ordering's OrdersInFlight).
   */
  countOrderOutcome(outcome: OrderOutcome, inFlightMs?: number): void {
    const status =
      outcome.type === 'OrderCompleted.v1'
        ? 'COMPLETED'
        : outcome.type === 'OrderRejected.v1'
          ? 'REJECTED'
          : 'CANCELLED';
    this.ordersTerminal.inc({ status });
    if (inFlightMs !== undefined) this.checkoutToTerminal.observe(inFlightMs / 1000);
  }

  /** Handler for inventory.stock-levels: every SKU counts in `stockade_skus`, watched ones get their own gauge. */
  async recordStockLevel(rawValue: string): Promise<void> {
    const parsed = StockLevelChangedV1.safeParse(JSON.parse(rawValue));
    if (!parsed.success) return;
    const { sku, available, status } = parsed.data.data;
    this.skuStatus.set(sku, status);
    if (this.watchedSkus.has(sku)) this.stockAvailable.set({ sku }, available);
  }

  async render(): Promise<string> {
    if (this.threads.length === 0) return this.registry.metrics();
    const snapshots = await Promise.all([
      this.registry.getMetricsAsJSON(),
      ...this.threads.map((snapshot) => snapshot()),
    ]);
    return AggregatorRegistry.aggregate(snapshots).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs one backlog read, bounded in time: a scrape must answer even while Kafka or a store does not. Undefined when it failed. */
  private async collecting<T>(metric: string, read: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${metric} took longer than ${this.collectTimeoutMs} ms`)),
        this.collectTimeoutMs,
      );
    });
    try {
      return await Promise.race([read(), timeout]);
    } catch {
      this.collectFailures.inc({ metric });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * V8's heap of the thread this registry lives in, labelled with the thread's name. The process
 * metrics (`stockade_nodejs_heap_*`) are the main thread's alone, and a worker thread's registry
 * merged into the main one would add its heap to them; these series keep each thread apart, so a
 * soak can tell which thread's heap grows (docs/benchmarks.md).
 */
function threadHeapGauges(registry: Registry, thread: string): void {
  const gauge = (name: string, help: string, read: (heap: ReturnType<typeof getHeapStatistics>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['thread'],
      registers: [registry],
      collect() {
        this.set({ thread }, read(getHeapStatistics()));
      },
    });
  gauge(
    'stockade_thread_heap_used_bytes',
    'V8 heap in use by this thread (main, or a worker thread by name)',
    (heap) => heap.used_heap_size,
  );
  gauge('stockade_thread_heap_total_bytes', 'V8 heap reserved by this thread', (heap) => heap.total_heap_size);
  gauge(
    'stockade_thread_heap_limit_bytes',
    "This thread's V8 heap limit (a worker thread's resourceLimits)",
    (heap) => heap.heap_size_limit,
  );
}

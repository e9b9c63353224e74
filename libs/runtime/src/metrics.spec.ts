import { InMemoryMessageBus } from '@stockade/messaging';
import type { BusBacklog } from '@stockade/messaging';
import { StockadeMetrics } from './metrics';

const stockLevel = (sku: string, available: number, status: 'IN_STOCK' | 'LIMITED' | 'OUT_OF_STOCK') =>
  JSON.stringify({
    messageId: `level-${sku}`,
    type: 'StockLevelChanged.v1',
    correlationId: sku,
    causationId: `cause-${sku}`,
    occurredAt: '2026-12-01T10:00:00.000Z',
    data: { sku, onHand: available, reserved: 0, available, status },
  });

/** Prometheus text lines of one metric, without its HELP and TYPE. */
const samples = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('operator metrics', () => {
  it('given a catalog of 100,000 SKUs, when their stock levels are recorded, then only the watched SKUs get a series and every SKU is counted by status', async () => {
    const metrics = new StockadeMetrics({ collectProcessMetrics: false, watchedSkus: ['SKU-42'] });
    for (let index = 0; index < 100_000; index++) {
      await metrics.recordStockLevel(
        stockLevel(`SKU-${index}`, index % 3 === 1 ? 0 : 10, index % 3 === 1 ? 'OUT_OF_STOCK' : 'IN_STOCK'),
      );
    }

    const text = await metrics.render();
    expect(samples(text, 'stockade_stock_available')).toEqual(['stockade_stock_available{sku="SKU-42"} 10']);
    expect(samples(text, 'stockade_skus').sort()).toEqual([
      'stockade_skus{status="IN_STOCK"} 66667',
      'stockade_skus{status="OUT_OF_STOCK"} 33333',
    ]);
  });

  it('given sagas that ended and compensated, when metrics render, then durations are observed by outcome and compensations counted by reason', async () => {
    const metrics = new StockadeMetrics(false);
    metrics.recordSaga({ ended: { outcome: 'COMPLETED', durationMs: 40 } });
    metrics.recordSaga({ ended: { outcome: 'CANCELLED', durationMs: 2_000 }, compensation: 'reservation_expired' });
    metrics.recordSaga({ compensation: 'payment_declined' });
    metrics.recordSaga({ compensation: 'payment_declined' });
    metrics.reservationsExpired(3);
    metrics.checkoutRefused('orders_in_flight');

    const text = await metrics.render();
    expect(text).toContain('stockade_saga_duration_seconds_count{outcome="COMPLETED"} 1');
    expect(text).toContain('stockade_saga_duration_seconds_bucket{le="0.05",outcome="COMPLETED"} 1');
    expect(text).toContain('stockade_saga_duration_seconds_bucket{le="1",outcome="CANCELLED"} 0');
    expect(text).toContain('stockade_compensations_total{reason="payment_declined"} 2');
    expect(text).toContain('stockade_compensations_total{reason="reservation_expired"} 1');
    expect(text).toContain('stockade_reservations_expired_total 3');
    expect(text).toContain('stockade_checkouts_refused_total{reason="orders_in_flight"} 1');
  });

  it('given a group behind on a topic and a dead-letter topic holding two messages, when metrics render, then the lag is per partition and the depth per topic', async () => {
    const bus = new InMemoryMessageBus({ partitions: 1 });
    await bus.publish(
      'orders',
      [1, 2, 3].map((value) => ({ key: 'k', value })),
    );
    await bus.publish(
      'orders.dlq',
      [1, 2].map((value) => ({ key: 'k', value })),
    );
    const metrics = new StockadeMetrics(false);
    metrics.watchBacklog(bus, () => new Map([['order-service', ['orders']]]));

    const text = await metrics.render();
    expect(samples(text, 'stockade_consumer_lag_messages')).toEqual([
      'stockade_consumer_lag_messages{group="order-service",topic="orders",partition="0"} 3',
    ]);
    expect(samples(text, 'stockade_dead_letters')).toEqual(['stockade_dead_letters{topic="orders.dlq"} 2']);
    await bus.close();
  });

  it('given an inventory instance given shards 1 and 3 of 4, after one refused append on shard 3, when metrics render, then each shard shows whether it is owned here and the refusal is counted on its shard', async () => {
    const metrics = new StockadeMetrics({ collectProcessMetrics: false });
    metrics.inventoryShardsOwned(4, [0, 1]);

    metrics.inventoryShardsOwned(4, [1, 3]);
    metrics.inventoryFenceRefused(3);

    const text = await metrics.render();
    expect(samples(text, 'stockade_inventory_shard_owned')).toEqual([
      'stockade_inventory_shard_owned{shard="0"} 0',
      'stockade_inventory_shard_owned{shard="1"} 1',
      'stockade_inventory_shard_owned{shard="2"} 0',
      'stockade_inventory_shard_owned{shard="3"} 1',
    ]);
    expect(samples(text, 'stockade_inventory_fence_refusals_total')).toEqual([
      'stockade_inventory_fence_refusals_total{shard="3"} 1',
    ]);
  });

  it('given an outbox relay 7 events behind, when metrics render, then its lag is 7', async () => {
    const metrics = new StockadeMetrics(false);
    metrics.watchRelay('orders-outbox', async () => 7);
    expect(samples(await metrics.render(), 'stockade_outbox_relay_lag_events')).toEqual([
      'stockade_outbox_relay_lag_events{relay="orders-outbox"} 7',
    ]);
  });

  it('given a bus that does not answer, when metrics render, then the scrape still answers in time with the lag gauge empty and the failure counted', async () => {
    const silent: BusBacklog = { consumerLag: () => new Promise(() => undefined), retainedMessages: async () => [] };
    const metrics = new StockadeMetrics({ collectProcessMetrics: false, collectTimeoutMs: 50 });
    metrics.watchBacklog(silent, () => new Map([['g', ['t']]]));

    const text = await metrics.render();
    expect(samples(text, 'stockade_consumer_lag_messages')).toEqual([]);
    // Series are read side by side: the failure of this scrape shows from the next one on.
    expect(await metrics.render()).toContain('stockade_metrics_collect_failures_total{metric="consumer_lag"} 1');
  });

  it('given a worker thread with its own registry, when the main registry renders, then the thread’s series are merged in', async () => {
    const main = new StockadeMetrics(false);
    const thread = new StockadeMetrics(false);
    thread.reservationsExpired(2);
    main.reservationsExpired(1);
    thread.watchRelay('inventory-outbox', async () => 4);
    main.includeThread(() => thread.registry.getMetricsAsJSON());

    const text = await main.render();
    expect(text).toContain('stockade_reservations_expired_total 3');
    expect(text).toContain('stockade_outbox_relay_lag_events{relay="inventory-outbox"} 4');
  });

  it('given a worker thread with its own registry, when the main registry renders, then each thread has its own heap series, not a sum', async () => {
    const main = new StockadeMetrics(false);
    const thread = new StockadeMetrics({ collectProcessMetrics: false, threadName: 'inventory' });
    main.includeThread(() => thread.registry.getMetricsAsJSON());

    const text = await main.render();

    const used = (name: string) =>
      Number(new RegExp(`^stockade_thread_heap_used_bytes\\{thread="${name}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(used('main')).toBeGreaterThan(1024 * 1024);
    expect(used('inventory')).toBeGreaterThan(1024 * 1024);
    expect(text).toMatch(/^stockade_thread_heap_limit_bytes\{thread="inventory"\} \d+$/m);
  });
});

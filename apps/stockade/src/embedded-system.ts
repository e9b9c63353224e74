import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve, join } from 'node:path';
import { createHttpApp } from '@stockade/api';
import { TOPICS } from '@stockade/contracts';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { Clock, systemClock } from '@stockade/kernel';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import type { PaymentGateway } from '@stockade/ordering-service';
import type { StockadeConfig } from './config';
import { createLogger } from './logger';
import { StockadeMetrics } from './metrics';
import { placeOrderWithAdmission } from './checkout-admission';
import { startCartNode, startOrderingNode } from './service-nodes';
import { CROSS_THREAD_POLL_INTERVAL_MS, inventoryRunsOnItsOwnThread, startEmbeddedInventory } from './inventory-thread/embedded-inventory';

export interface EmbeddedSystem {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly metrics: StockadeMetrics;
  close(): Promise<void>;
}

export interface EmbeddedOverrides {
  readonly clock?: Clock;
  readonly paymentGateway?: PaymentGateway;
}

/**
 * The embedded default: all three services in one process, each with its own SQLite event store,
 * talking over a durable SQLite message log with Kafka's semantics. Everything lives in
 * STOCKADE_DATA_DIR, so a restart (or a crash) resumes every saga where it stopped. Inventory may
 * run on a worker thread (STOCKADE_INVENTORY_THREAD) with its own connections to the same files.
 */
export async function startEmbeddedSystem(config: StockadeConfig, overrides: EmbeddedOverrides = {}): Promise<EmbeddedSystem> {
  const dataDir = resolve(config.STOCKADE_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const clock = overrides.clock ?? systemClock;
  const logger = createLogger(config.STOCKADE_LOG_LEVEL);
  const metrics = new StockadeMetrics();

  const threaded = inventoryRunsOnItsOwnThread(config, overrides.clock !== undefined);
  const orderStore = SqliteEventStore.open(join(dataDir, 'orders.db'), { clock });
  const bus = SqliteMessageBus.open(join(dataDir, 'messages.db'), {
    clock,
    // Consumed messages are deleted after a while; stock levels stay, as new readers rebuild from them.
    retention: { keepTopics: [TOPICS.stockLevels] },
    // With inventory on another thread, its publishes are another connection's commits, noticed by polling.
    ...(threaded ? { pollIntervalMs: CROSS_THREAD_POLL_INTERVAL_MS } : {}),
    onConsumerError: (error: unknown) => logger.warn({ err: error }, 'message log read failed; retrying'),
  });
  const base = { bus, clock, logger };

  const inventory = await startEmbeddedInventory(config, { ...base, dataDir, threaded });
  const ordering = await startOrderingNode({
    ...base,
    store: orderStore,
    paymentTimeoutMs: config.STOCKADE_PAYMENT_TIMEOUT_MS,
    ...(overrides.paymentGateway ? { paymentGateway: overrides.paymentGateway } : {}),
  });
  const carts = await startCartNode({ ...base, availability: inventory.availability, limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD });
  const metricConsumers = [
    await bus.subscribe({ groupId: 'metrics-orders', topics: [TOPICS.orderEvents], fromBeginning: false, concurrency: 1000, handler: (m) => metrics.recordOrderOutcome(m.value) }),
    await bus.subscribe({ groupId: 'metrics-stock', topics: [TOPICS.stockLevels], fromBeginning: false, concurrency: 1000, handler: (m) => metrics.recordStockLevel(m.value) }),
  ];

  const app = await createHttpApp(
    {
      orders: { ...ordering.facade, placeOrder: placeOrderWithAdmission(ordering.ordering.service, metrics, config.STOCKADE_MAX_ORDERS_IN_FLIGHT) },
      inventory: inventory.facade,
      carts: carts.facade,
      metrics,
      readiness: {
        check: async () => {
          const [inventoryHead, ordersHead] = await Promise.all([inventory.headPosition(), orderStore.headPosition()]);
          return { ready: true, details: { mode: 'embedded', inventoryThread: String(inventory.threaded), inventoryEvents: String(inventoryHead), orderEvents: String(ordersHead) } };
        },
      },
      access: { operatorToken: config.STOCKADE_OPERATOR_TOKEN, ...(config.STOCKADE_API_TOKEN ? { apiToken: config.STOCKADE_API_TOKEN } : {}) },
    },
    { bodyLimitBytes: config.STOCKADE_BODY_LIMIT_BYTES },
  );
  await app.listen({ port: config.PORT, host: config.HOST });
  const port = (app.getHttpServer().address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    port,
    dataDir,
    metrics,
    close: () =>
      (closed ??= (async () => {
        await app.close();
        for (const consumer of metricConsumers) await consumer.close();
        await carts.close();
        await ordering.close();
        await inventory.close();
        await bus.close();
        await orderStore.close();
      })()),
  };
}

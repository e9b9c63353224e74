import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Module } from '@nestjs/common';
import { CartModule } from '@stockade/apps/cart-service';
import { OrderingModule } from '@stockade/apps/order-service';
import { TOPICS } from '@stockade/contracts';
import { Clock, systemClock } from '@stockade/kernel';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import type { PaymentGateway } from '@stockade/ordering-service';
import { createLogger, startStockadeApp, StockadeConfig, StockadeMetrics } from '@stockade/runtime';
import { StockLevelMetricsController } from './embedded-metrics.controller';
import { CROSS_THREAD_POLL_INTERVAL_MS, embeddedInventoryModule, inventoryRunsOnItsOwnThread } from './inventory-thread/embedded-inventory';

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

@Module({ controllers: [StockLevelMetricsController] })
class EmbeddedMetricsModule {}

/**
 * The embedded default: the three service modules in one Nest app, each with its own SQLite event
 * store, talking over a durable SQLite message log with Kafka's semantics. Everything lives in
 * STOCKADE_DATA_DIR, so a restart (or a crash) resumes every saga where it stopped. Inventory may
 * run on a worker thread (STOCKADE_INVENTORY_THREAD) with its own connections to the same files.
 */
export async function startEmbeddedSystem(configured: StockadeConfig, overrides: EmbeddedOverrides = {}): Promise<EmbeddedSystem> {
  const dataDir = resolve(configured.STOCKADE_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // Embedded means SQLite under the data directory, whatever a distributed deployment's variables say.
  const config: StockadeConfig = { ...configured, STOCKADE_DATA_DIR: dataDir, STOCKADE_EVENT_STORE: 'sqlite' };
  const clock = overrides.clock ?? systemClock;
  const logger = createLogger(config.STOCKADE_LOG_LEVEL);
  const threaded = inventoryRunsOnItsOwnThread(config, overrides.clock !== undefined);
  const bus = SqliteMessageBus.open(join(dataDir, 'messages.db'), {
    clock,
    // Consumed messages are deleted after a while; stock levels stay, as new readers rebuild from them.
    retention: { keepTopics: [TOPICS.stockLevels] },
    // With inventory on another thread, its publishes are another connection's commits, noticed by polling.
    ...(threaded ? { pollIntervalMs: CROSS_THREAD_POLL_INTERVAL_MS } : {}),
    onConsumerError: (error: unknown) => logger.warn({ err: error }, 'message log read failed; retrying'),
  });

  const inventory = embeddedInventoryModule(threaded);
  const ordering = OrderingModule.register({ outcomesGroupId: 'metrics-orders', ...(overrides.paymentGateway ? { paymentGateway: overrides.paymentGateway } : {}) });
  const app = await startStockadeApp({
    config,
    logger,
    bus,
    clock,
    modules: [inventory, ordering, CartModule.register({ kind: 'module', module: inventory }), { module: EmbeddedMetricsModule }],
  });
  return { url: app.url, port: app.port, dataDir, metrics: app.metrics, close: app.close };
}

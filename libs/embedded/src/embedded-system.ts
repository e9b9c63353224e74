import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Module } from '@nestjs/common';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { CartModule } from '@stockade/cart-nest';
import { LiveStockModule, SupplierSimulatorModule } from '@stockade/inventory-nest';
import { OrderingModule } from '@stockade/ordering-nest';
import { TOPICS } from '@stockade/contracts';
import { BackgroundWalCheckpointer, ThreadSharedWriteLock } from '@stockade/event-store/sqlite';
import { Clock, systemClock } from '@stockade/kernel';
import { MessageHandoff } from '@stockade/messaging';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import { deploymentPaymentSimulator, PaymentGateway } from '@stockade/ordering-service';
import {
  createLogger,
  Logger,
  preparePrivateDataDirectory,
  salesChannelsOf,
  startStockadeApp,
  startTracing,
  StockadeConfig,
  StockadeMetrics,
  supplierSimulatorOn,
} from '@stockade/runtime';
import { StockLevelMetricsController } from './embedded-metrics.controller';
import { EmbeddedOperationsModule } from './embedded-operations';
import {
  CROSS_THREAD_POLL_INTERVAL_MS,
  embeddedInventoryModule,
  inventoryRunsOnItsOwnThread,
} from './inventory-thread/embedded-inventory';

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
  /** Tests: spans go here instead of over OTLP (tracing on without OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly traceExporter?: SpanExporter;
}

/**
 * The services' own commands and events, handed from relay to consumer in memory (ADR 0031): each
 * has one consumer group in this process, and the event stores keep them until it handled them.
 * Upstream's topics (checkouts, order outcomes), the stock levels new readers rebuild from, and the
 * dead letters stay in messages.db, where other processes and operators read them.
 */
const HANDED_OVER_TOPICS = [TOPICS.inventoryCommands, TOPICS.inventoryEvents, TOPICS.paymentCommands];

@Module({ controllers: [StockLevelMetricsController] })
class EmbeddedMetricsModule {}

/**
 * The embedded default: the three service modules in one Nest app, each with its own SQLite event
 * store, talking over a durable SQLite message log with Kafka's semantics. Everything lives in
 * STOCKADE_DATA_DIR, so a restart (or a crash) resumes every saga where it stopped. Inventory may
 * run on a worker thread (STOCKADE_INVENTORY_THREAD) with its own connections to the same files.
 */
export async function startEmbeddedSystem(
  configured: StockadeConfig,
  overrides: EmbeddedOverrides = {},
): Promise<EmbeddedSystem> {
  const dataDir = resolve(configured.STOCKADE_DATA_DIR);
  // Embedded means SQLite under the data directory, whatever a distributed deployment's variables say.
  const config: StockadeConfig = { ...configured, STOCKADE_DATA_DIR: dataDir, STOCKADE_EVENT_STORE: 'sqlite' };
  const clock = overrides.clock ?? systemClock;
  const logger = createLogger(config.STOCKADE_LOG_LEVEL);
  preparePrivateDataDirectory(dataDir, logger);
  const threaded = inventoryRunsOnItsOwnThread(config, overrides.clock !== undefined);
  const messageLogWriteLock = threaded ? ThreadSharedWriteLock.createBuffer() : undefined;
  const handoff = config.STOCKADE_EMBEDDED_HANDOFF ? new MessageHandoff({ topics: HANDED_OVER_TOPICS }) : undefined;
  const bus = SqliteMessageBus.open(join(dataDir, 'messages.db'), {
    clock,
    synchronous: config.STOCKADE_SQLITE_SYNCHRONOUS,
    // Consumed messages are deleted after a while; stock levels are compacted (each SKU's latest stays), as new readers rebuild from them.
    retention: { compactTopics: [TOPICS.stockLevels] },
    // With inventory on another thread, its publishes are another connection's commits, noticed by polling.
    // Both threads then write the file too: they take turns on a shared lock, not in SQLite's sleeping busy wait.
    ...(messageLogWriteLock
      ? { pollIntervalMs: CROSS_THREAD_POLL_INTERVAL_MS, threadWriteLock: messageLogWriteLock }
      : {}),
    onConsumerError: (error: unknown) => logger.warn({ err: error }, 'message log read failed; retrying'),
    ...(handoff ? { handoff } : {}),
  });

  const inventory = embeddedInventoryModule(
    messageLogWriteLock ? { messageLogWriteLock, ...(handoff ? { handoff } : {}) } : undefined,
  );
  // One gateway exchanges the payment tokens of carts and of checkouts alike, and authorizes.
  const paymentGateway =
    overrides.paymentGateway ??
    deploymentPaymentSimulator({ slowTokens: config.STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS });
  const ordering = OrderingModule.register({
    outcomesGroupId: 'metrics-orders',
    channels: salesChannelsOf(config),
    paymentGateway,
  });
  const tracing = startTracing({
    serviceName: 'stockade',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    exporter: overrides.traceExporter,
  });
  const app = await startStockadeApp({
    config,
    logger,
    bus,
    clock,
    pages: true,
    ...(tracing ? { tracer: tracing.tracer } : {}),
    modules: [
      inventory,
      ordering,
      CartModule.register({ kind: 'module', module: inventory }, { payments: paymentGateway }),
      LiveStockModule.register(inventory),
      { module: EmbeddedMetricsModule },
      EmbeddedOperationsModule.register(config, clock),
      ...(supplierSimulatorOn(config, 'embedded') ? [SupplierSimulatorModule.register()] : []),
    ],
  });
  const checkpointer = await checkpointInBackground(dataDir, logger).catch(async (error: unknown) => {
    await app.close();
    await tracing?.shutdown();
    throw error;
  });
  const close = async () => {
    await checkpointer.close();
    await app.close();
    // Last: the spans of the final relay pages and handlers are exported before the process goes.
    await tracing?.shutdown();
  };
  return { url: app.url, port: app.port, dataDir, metrics: app.metrics, close };
}

/** Every SQLite file of the data directory, checkpointed off the threads that commit (see BackgroundWalCheckpointer). */
function checkpointInBackground(dataDir: string, logger: Logger): Promise<BackgroundWalCheckpointer> {
  const files = readdirSync(dataDir)
    .filter((name) => name.endsWith('.db'))
    .map((name) => join(dataDir, name));
  return BackgroundWalCheckpointer.start(files, {
    onError: (path, message) =>
      logger.warn({ path, error: message }, 'background WAL checkpoint failed; the next one retries'),
  });
}

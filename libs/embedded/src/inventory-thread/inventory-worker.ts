import 'reflect-metadata';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INVENTORY_EVENT_STORE, INVENTORY_FACADE, InventoryFacade, InventoryModule } from '@stockade/inventory-nest';
import type { StockAvailability } from '@stockade/cart-service';
import type { EventStore } from '@stockade/event-store';
import { systemClock } from '@stockade/kernel';
import { MessageHandoff } from '@stockade/messaging';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import { MessageBusServer } from '@stockade/nest-bus';
import {
  createLogger,
  InfrastructureModule,
  logHandlerFailures,
  PinoNestLogger,
  startTracing,
  STOCK_AVAILABILITY,
  StockadeMetrics,
} from '@stockade/runtime';
import {
  carryError,
  FromInventoryThread,
  InventoryThreadApi,
  InventoryWorkerSettings,
  ToInventoryThread,
} from './inventory-bridge-protocol';

@Module({})
class InventoryThreadRoot {}

/**
 * The inventory service's Nest module on a thread of its own (worker_threads entry; loaded only
 * from dist, as a Worker cannot run TypeScript): a Nest microservice on MessageBusServer, with no
 * HTTP; the main thread serves inventory's routes through the facade calls below.
 * better-sqlite3 connections belong to the thread that opened them, so this thread opens its own
 * connections to the same files; WAL lets both threads use them. Uncaught errors are deliberately
 * not caught here: they end the worker, and the main thread turns that into a process crash.
 */
async function serveInventory(port: NonNullable<typeof parentPort>, settings: InventoryWorkerSettings): Promise<void> {
  const send = (message: FromInventoryThread) => port.postMessage(message);
  const { config } = settings;
  const logger = createLogger(config.STOCKADE_LOG_LEVEL, 'stockade-inventory');
  // Linked at once: the consumers below announce themselves to the main thread while the app starts.
  const handoff =
    settings.handoffTopics.length > 0 ? new MessageHandoff({ topics: settings.handoffTopics }) : undefined;
  handoff?.link((wire) => send({ kind: 'handoff', wire }));
  port.on('message', (message: ToInventoryThread) => {
    if (message.kind === 'handoff') handoff?.receive(message.wire);
  });
  const bus = SqliteMessageBus.open(join(config.STOCKADE_DATA_DIR, 'messages.db'), {
    clock: systemClock,
    synchronous: config.STOCKADE_SQLITE_SYNCHRONOUS,
    // The ordering side commits on another connection and says so (appended news); polling is the safety net.
    pollIntervalMs: settings.busPollIntervalMs,
    // Both threads write the file: they take turns on this lock, not in SQLite's sleeping busy wait.
    threadWriteLock: settings.messageLogWriteLock,
    onConsumerError: (error: unknown) => logger.warn({ err: error }, 'message log read failed; retrying'),
    ...(handoff ? { handoff } : {}),
  });
  // A worker thread has its own OpenTelemetry globals: it traces (and exports) for itself.
  const tracing = startTracing({ serviceName: 'stockade-inventory', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const server = new MessageBusServer(bus, {
    onHandlerFailure: logHandlerFailures(logger),
    ...(tracing ? { tracer: tracing.tracer } : {}),
  });
  // The main thread's registry has the process metrics; this one only what inventory counts.
  const metrics = new StockadeMetrics({ collectProcessMetrics: false, threadName: 'inventory' });
  let app: INestMicroservice | undefined;
  try {
    app = await NestFactory.createMicroservice(
      {
        module: InventoryThreadRoot,
        imports: [
          InfrastructureModule.forRoot({
            config,
            logger,
            metrics,
            bus,
            server,
            ...(tracing ? { tracer: tracing.tracer } : {}),
          }),
          InventoryModule.register({ http: false }),
        ],
      },
      { strategy: server, logger: new PinoNestLogger(logger), abortOnError: false },
    );
    await app.listen();
  } catch (error) {
    await app?.close().catch(() => undefined);
    await bus.close();
    await tracing?.shutdown();
    send({ kind: 'start-failed', error: carryError(error) });
    return;
  }

  const running = app;
  const facade = app.get<InventoryFacade>(INVENTORY_FACADE, { strict: false });
  const availability = app.get<StockAvailability>(STOCK_AVAILABILITY, { strict: false });
  const store = app.get<EventStore>(INVENTORY_EVENT_STORE, { strict: false });
  const api: InventoryThreadApi = {
    getStock: (sku) => facade.getStock(sku),
    receiveStock: (sku, quantity, purchaseOrderId) => facade.receiveStock(sku, quantity, purchaseOrderId),
    configureStock: (sku, settings) => facade.configureStock(sku, settings),
    setListing: (sku, listing) => facade.setListing(sku, listing),
    listReplenishment: () => facade.listReplenishment(),
    adjustStock: (sku, delta, reason) => facade.adjustStock(sku, delta, reason),
    listStock: (query) => facade.listStock(query),
    listCatalog: (query) => facade.listCatalog(query),
    offers: (skus) => availability.offers(skus),
    headPosition: () => store.headPosition(),
    metricsSnapshot: () => metrics.registry.getMetricsAsJSON(),
  };
  bus.onAppended((topic, partitions) => send({ kind: 'appended', topic, partitions }));
  port.on('message', (message: ToInventoryThread) => {
    switch (message.kind) {
      case 'call': {
        const method = api[message.method] as (...args: readonly unknown[]) => Promise<unknown>;
        method(...message.args).then(
          (value) => send({ kind: 'result', id: message.id, value }),
          (error: unknown) => send({ kind: 'failure', id: message.id, error: carryError(error) }),
        );
        return;
      }
      case 'appended':
        return bus.appendedElsewhere(message.topic, message.partitions);
      case 'handoff':
        return; // taken by the handoff's own listener, registered before the app started
      case 'close':
        // Nest stops the consumers first, then the module's shutdown hook drains the writer, the relay and the store.
        void (async () => {
          await running.close();
          await bus.close();
          await tracing?.shutdown();
          send({ kind: 'closed' });
        })();
        return;
      default: {
        const unknownMessage: never = message;
        throw new Error(`unknown message to the inventory thread: ${JSON.stringify(unknownMessage)}`);
      }
    }
  });
  send({ kind: 'ready' });
}

if (!parentPort) throw new Error('inventory-worker runs as a worker thread only');
void serveInventory(parentPort, workerData as InventoryWorkerSettings);

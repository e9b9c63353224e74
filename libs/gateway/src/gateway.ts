import type { AddressInfo } from 'node:net';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { LiveStockLevels } from '@stockade/api';
import { PostgresEventStore } from '@stockade/event-store/postgres';
import { systemClock } from '@stockade/kernel';
import { TOPICS } from '@stockade/contracts';
import { feedLiveStock, InventoryFacade, liveStockGroupId, stockSnapshotFrom } from '@stockade/inventory-nest';
import { stockLevelsProjection } from '@stockade/inventory-service';
import {
  createDeadLetterOperations,
  createRebuildOperations,
  createStoryOperations,
  DeadLetterOperations,
  RebuildOperations,
  releaseThroughInventoryCommands,
  StoryOperations,
} from '@stockade/operations';
import {
  accessPolicyOf,
  assertSafeToListen,
  ConfigurationError,
  consumerGroupPrefix,
  continueCallerTraces,
  createLogger,
  httpServerOptionsOf,
  kafkaConnection,
  liveStreamLimitsOf,
  PinoNestLogger,
  RunningService,
  StockadeConfig,
  startTraceForwarding,
  startTracing,
  topicNames,
  traceHttpRequests,
} from '@stockade/runtime';
import { createHttpApp } from './create-http-app';
import { remoteCarts, remoteInventory, remoteOrders, UpstreamClient } from './remote-facades';

/**
 * The public HTTP contract in front of the distributed services: the same controllers, errors and
 * auth as the embedded runner, with each facade forwarding to its service process.
 */
export async function startGateway(
  config: StockadeConfig,
  overrides: { readonly traceExporter?: SpanExporter } = {},
): Promise<RunningService> {
  const missing = (['INVENTORY_SERVICE_URL', 'ORDER_SERVICE_URL', 'CART_SERVICE_URL'] as const).filter(
    (variable) => !config[variable],
  );
  if (missing.length > 0)
    throw new ConfigurationError(missing.map((field) => ({ field, message: 'is required for the gateway' })));
  const logger = createLogger(config.STOCKADE_LOG_LEVEL, 'stockade-gateway');
  assertSafeToListen(config, (warning) => logger.warn(warning));
  const upstream = (url: string | undefined) =>
    new UpstreamClient((url as string).replace(/\/$/, ''), config.STOCKADE_OPERATOR_TOKEN);
  const upstreams = {
    inventory: upstream(config.INVENTORY_SERVICE_URL),
    orders: upstream(config.ORDER_SERVICE_URL),
    carts: upstream(config.CART_SERVICE_URL),
  };
  // Traced (an OTLP endpoint set): each request is a span, parent of the calls to the services.
  // Not traced: the caller's own trace context is passed on, so its trace goes on past the gateway.
  const tracing = startTracing({
    serviceName: 'stockade-gateway',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    exporter: overrides.traceExporter,
  });
  const forwarding = tracing ? undefined : startTraceForwarding();
  const operations = await operatorSurface(config);
  const inventory = remoteInventory(upstreams.inventory);
  const live = await liveStock(config, inventory);
  const app = await createHttpApp(
    {
      ...(live ? { liveStock: live.levels } : {}),
      ...(operations ? { operations: operations.stories } : {}),
      ...(operations?.deadLetters ? { deadLetters: operations.deadLetters } : {}),
      ...(operations?.rebuilds ? { rebuilds: operations.rebuilds } : {}),
      orders: remoteOrders(upstreams.orders),
      inventory,
      carts: remoteCarts(upstreams.carts),
      readiness: {
        check: async () => {
          const answers = await Promise.all(
            Object.entries(upstreams).map(
              async ([name, client]) =>
                [
                  name,
                  await client.call('GET', '/health').then(
                    () => 'ok',
                    () => 'down',
                  ),
                ] as const,
            ),
          );
          return { ready: answers.every(([, state]) => state === 'ok'), details: Object.fromEntries(answers) };
        },
      },
      access: accessPolicyOf(config),
      limits: { maxCheckoutsPerRequest: config.STOCKADE_MAX_CHECKOUTS_PER_REQUEST },
    },
    {
      ...httpServerOptionsOf(config),
      logger: new PinoNestLogger(logger),
      prepare: (fastify) => (tracing ? traceHttpRequests(fastify, tracing.tracer) : continueCallerTraces(fastify)),
    },
  );
  await app.listen({ port: config.PORT, host: config.HOST });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    close: async () => {
      // The HTTP app first (it ends the open streams), then what fed them.
      await app.close();
      await live?.close();
      await operations?.close();
      await tracing?.shutdown();
      forwarding?.shutdown();
    },
  };
}

/**
 * Live stock streams in the distributed mode: the gateway consumes inventory.stock-levels (by the
 * broker's topic name) in a group of its own and takes each new stream's first levels from
 * inventory-service. Off without Kafka.
 */
async function liveStock(
  config: StockadeConfig,
  inventory: InventoryFacade,
): Promise<{ levels: LiveStockLevels; close(): Promise<void> } | undefined> {
  if (config.STOCKADE_BUS !== 'kafka') return undefined;
  const levels = new LiveStockLevels({ snapshot: stockSnapshotFrom(inventory), ...liveStreamLimitsOf(config) });
  const bus = await connectKafka(config, 'stockade-gateway-live');
  const subscription = await feedLiveStock(bus, levels, {
    groupId: `${consumerGroupPrefix(config)}${liveStockGroupId('stockade-gateway', config.STOCKADE_INSTANCE_ID)}`,
    topic: topicNames(config).physical(TOPICS.stockLevels),
    logger: createLogger(config.STOCKADE_LOG_LEVEL, 'stockade-gateway'),
  }).catch(async (error: unknown) => {
    await bus.close();
    throw error;
  });
  return {
    levels,
    close: async () => {
      await subscription.close();
      await bus.close();
    },
  };
}

/**
 * The operator surface (/ops) reads the services' event stores directly, read-only: the repairs
 * of `check --repair` are commands to inventory on Kafka (none without it), stored by inventory's
 * single writer. The same code as the embedded runner's, over the orders' PostgreSQL and
 * inventory's own store (PostgreSQL or KurrentDB). Off when the gateway is not given the
 * database (it then serves the public API only).
 */
async function operatorSurface(config: StockadeConfig): Promise<
  | {
      stories: StoryOperations;
      deadLetters?: DeadLetterOperations;
      rebuilds?: RebuildOperations;
      close(): Promise<void>;
    }
  | undefined
> {
  if (!config.STOCKADE_POSTGRES_URL) return undefined;
  const connectionString = config.STOCKADE_POSTGRES_URL;
  const orders = await PostgresEventStore.open({
    connectionString,
    schema: config.STOCKADE_OPS_ORDERING_SCHEMA,
    clock: systemClock,
  });
  // Inventory's events where inventory-service keeps them: a PostgreSQL schema beside the orders, or KurrentDB.
  const inventory =
    config.STOCKADE_OPS_INVENTORY_EVENT_STORE === 'kurrentdb'
      ? await (
          await import('@stockade/event-store/kurrentdb')
        ).KurrentEventStore.open({ connectionString: config.KURRENTDB_URL as string, clock: systemClock })
      : await PostgresEventStore.open({
          connectionString,
          schema: config.STOCKADE_OPS_INVENTORY_SCHEMA,
          clock: systemClock,
        });
  // Dead letters on Kafka, by the broker's topic names; replays recorded next to the orders.
  const kafka = config.STOCKADE_BUS === 'kafka' ? await connectKafka(config) : undefined;
  return {
    ...(kafka
      ? {
          deadLetters: createDeadLetterOperations({
            source: kafka.deadLetterReader(),
            bus: kafka,
            records: orders,
            clock: systemClock,
          }),
        }
      : {}),
    // Rebuilds read the inventory store and publish by the broker's topic names, as its relay does.
    ...(kafka
      ? {
          rebuilds: createRebuildOperations({
            store: inventory,
            bus: kafka,
            clock: systemClock,
            projections: {
              'stock-levels': stockLevelsProjection({
                limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
                stockLevelsTopic: topicNames(config).physical(TOPICS.stockLevels),
              }),
            },
          }),
        }
      : {}),
    stories: createStoryOperations({
      orders,
      inventory,
      clock: systemClock,
      settings: {
        paymentTimeoutMs: config.STOCKADE_PAYMENT_TIMEOUT_MS,
        limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
      },
      ...(kafka
        ? {
            releaseReservation: releaseThroughInventoryCommands({
              bus: kafka,
              topic: topicNames(config).physical(TOPICS.inventoryCommands),
              now: () => systemClock.now(),
            }),
          }
        : {}),
    }),
    close: async () => {
      await Promise.all([orders.close(), inventory.close(), kafka?.close()]);
    },
  };
}

async function connectKafka(config: StockadeConfig, name = 'stockade-gateway-ops') {
  const { KafkaMessageBus } = await import('@stockade/messaging/kafka');
  const { brokers, clientId, ssl, sasl } = kafkaConnection(config, name);
  // The topics are provisioned by the services' deployment: replays publish, they do not create.
  const logger = createLogger(config.STOCKADE_LOG_LEVEL, 'stockade-gateway');
  return KafkaMessageBus.connect({
    brokers,
    clientId,
    ssl,
    ...(sasl ? { sasl } : {}),
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    createTopics: false,
    clock: systemClock,
    consumer: {
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    },
    log: (level, message, fields) => logger[level]({ ...fields, component: 'kafkajs' }, message),
  });
}

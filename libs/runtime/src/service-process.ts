import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createHttpApp, HttpApiDependencies, ReadinessProbe } from '@stockade/api';
import { CartRepository, InMemoryCartRepository, StockAvailability, StockLevelCache } from '@stockade/cart-service';
import { TOPICS } from '@stockade/contracts';
import { systemClock } from '@stockade/kernel';
import type { StockadeConfig } from './config';
import { openEventStore, openMessageBus } from './infrastructure';
import { createLogger, Logger } from './logger';
import { StockadeMetrics } from './metrics';
import { placeOrderWithAdmission } from './checkout-admission';
import { startCartNode, startInventoryNode, startOrderingNode } from './service-nodes';
import type { MessageBus, Subscription } from '@stockade/messaging';

export type ServiceName = 'inventory' | 'ordering' | 'cart';

export interface RunningService {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * One service as its own process, on the adapters the configuration names: its own event store
 * (SQLite file, PostgreSQL schema or KurrentDB), the shared bus (a message log file on one host,
 * or Kafka), and for carts Redis when REDIS_URL is set. Only the service's own routes are served,
 * plus /health, /metrics and /docs.
 */
export async function startServiceProcess(service: ServiceName, config: StockadeConfig): Promise<RunningService> {
  if (config.STOCKADE_EVENT_STORE === 'sqlite' || config.STOCKADE_BUS === 'sqlite') mkdirSync(resolve(config.STOCKADE_DATA_DIR), { recursive: true });
  const logger = createLogger(config.STOCKADE_LOG_LEVEL, `stockade-${service}`);
  const clock = systemClock;
  const metrics = new StockadeMetrics();
  const bus = await openMessageBus(config, service, clock, logger);
  const closers: (() => Promise<void>)[] = [];
  let facades: Pick<HttpApiDependencies, 'orders' | 'inventory' | 'carts'>;
  let readiness: ReadinessProbe['check'];

  if (service === 'inventory') {
    const store = await openEventStore(config, 'inventory', clock);
    const node = await startInventoryNode({ bus, clock, logger, store, reservationTtlMs: config.STOCKADE_RESERVATION_TTL_MS, limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD, expiryCheckIntervalMs: config.STOCKADE_EXPIRY_CHECK_INTERVAL_MS });
    facades = { inventory: node.facade };
    readiness = storeReadiness(() => store.headPosition(), service);
    closers.push(node.close, () => store.close());
  } else if (service === 'ordering') {
    const store = await openEventStore(config, 'ordering', clock);
    const node = await startOrderingNode({ bus, clock, logger, store, paymentTimeoutMs: config.STOCKADE_PAYMENT_TIMEOUT_MS });
    // A group per instance: every instance must see every outcome to count its own orders in flight.
    const outcomes = await bus.subscribe({ groupId: `order-outcomes-${hostname()}-${process.pid}`, topics: [TOPICS.orderEvents], fromBeginning: false, concurrency: 1000, handler: (m) => metrics.recordOrderOutcome(m.value) });
    facades = { orders: { ...node.facade, placeOrder: placeOrderWithAdmission(node.ordering.service, metrics, config.STOCKADE_MAX_ORDERS_IN_FLIGHT) } };
    readiness = storeReadiness(() => store.headPosition(), service);
    closers.push(() => outcomes.close(), node.close, () => store.close());
  } else {
    const carts = await startCartStorage(config, bus, logger);
    const node = await startCartNode({ bus, clock, logger, availability: carts.availability, carts: carts.repository, limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD });
    facades = { carts: node.facade };
    readiness = carts.readiness;
    closers.push(node.close, carts.close);
  }

  const app = await createHttpApp(
    {
      ...facades,
      metrics,
      readiness: { check: readiness },
      access: { operatorToken: config.STOCKADE_OPERATOR_TOKEN, ...(config.STOCKADE_API_TOKEN ? { apiToken: config.STOCKADE_API_TOKEN } : {}) },
    },
    { bodyLimitBytes: config.STOCKADE_BODY_LIMIT_BYTES },
  );
  await app.listen({ port: config.PORT, host: config.HOST });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    close: async () => {
      await app.close();
      for (const close of closers) await close();
      await bus.close();
    },
  };
}

function storeReadiness(head: () => Promise<number>, service: ServiceName): ReadinessProbe['check'] {
  return async (): Promise<{ ready: boolean; details: Record<string, string> }> => {
    try {
      return { ready: true, details: { service, events: String(await head()) } };
    } catch {
      return { ready: false, details: { service, store: 'unavailable' } };
    }
  };
}

/**
 * Carts and stock levels: in Redis when REDIS_URL is set (shared by every cart instance, carts
 * expire after STOCKADE_CART_TTL_SECONDS), else in this process. The stock-level feed writes
 * into whichever it is; with Redis one consumer group serves the whole fleet.
 */
async function startCartStorage(config: StockadeConfig, bus: MessageBus, logger: Logger) {
  let repository: CartRepository;
  let levels: StockAvailability & { handleStockLevelChanged(raw: string): Promise<void> };
  let readiness: ReadinessProbe['check'];
  let groupId: string;
  const extraClose: (() => Promise<void>)[] = [];
  if (config.REDIS_URL) {
    // Loaded here, not at the top: the embedded runner imports this library and never needs ioredis.
    const { connectRedis, RedisCartRepository, redisReadinessCheck, RedisStockLevelCache } = await import('@stockade/redis');
    const redis = connectRedis(config.REDIS_URL, { onError: (error: unknown) => logger.warn({ err: error }, 'redis connection error; reconnecting') });
    repository = new RedisCartRepository({ redis, ttlSeconds: config.STOCKADE_CART_TTL_SECONDS });
    levels = new RedisStockLevelCache({ redis });
    readiness = redisReadinessCheck(redis);
    groupId = 'cart-stock-levels';
    extraClose.push(async () => void (await redis.quit()));
  } else {
    repository = new InMemoryCartRepository();
    levels = new StockLevelCache();
    readiness = async () => ({ ready: true, details: { service: 'cart', carts: 'in-process' } });
    // Each process keeps the whole table, so it reads the topic from the start in a group of its own.
    groupId = `cart-stock-levels-${process.pid}-${Date.now()}`;
  }
  const feed: Subscription = await bus.subscribe({ groupId, topics: [TOPICS.stockLevels], fromBeginning: true, concurrency: 1000, handler: (m) => levels.handleStockLevelChanged(m.value) });
  return {
    repository,
    availability: levels,
    readiness,
    close: async () => {
      await feed.close();
      for (const close of extraClose) await close();
    },
  };
}

import { CartRepository, InMemoryCartRepository, StockAvailability, StockLevelCache } from '@stockade/cart-service';
import type { HealthDetails } from '@stockade/api';
import type { Logger, StockadeConfig } from '@stockade/runtime';

/** Where carts and the stock-level table live, and how to check and close it. */
export interface CartStorage {
  readonly repository: CartRepository;
  readonly levels: StockAvailability & { handleStockLevelChanged(raw: string): Promise<void> };
  /** Redis's readiness; undefined for in-process storage, which has nothing to lose. */
  readonly check?: () => Promise<HealthDetails>;
  close(): Promise<void>;
}

/**
 * Carts and stock levels in Redis at `redisUrl` (shared by every cart instance), or in this
 * process without one; either way carts expire STOCKADE_CART_TTL_SECONDS after their last change.
 */
export async function openCartStorage(
  redisUrl: string | undefined,
  config: StockadeConfig,
  logger: Logger,
): Promise<CartStorage> {
  if (!redisUrl)
    return {
      repository: new InMemoryCartRepository({ ttlMs: config.STOCKADE_CART_TTL_SECONDS * 1000 }),
      levels: new StockLevelCache(),
      close: async () => undefined,
    };
  // Loaded here, not at the top: the embedded runner never needs ioredis.
  const { connectRedis, RedisCartRepository, redisReadinessCheck, RedisStockLevelCache } =
    await import('@stockade/redis');
  const redis = connectRedis(redisUrl, {
    onError: (error: unknown) => logger.warn({ err: error }, 'redis connection error; reconnecting'),
  });
  const readiness = redisReadinessCheck(redis);
  return {
    repository: new RedisCartRepository({ redis, ttlSeconds: config.STOCKADE_CART_TTL_SECONDS }),
    levels: new RedisStockLevelCache({ redis }),
    check: async () => {
      const { ready, details } = await readiness();
      if (!ready) throw new Error(`redis: ${details['redis'] ?? 'not ready'}`);
      return details;
    },
    close: async () => void (await redis.quit()),
  };
}

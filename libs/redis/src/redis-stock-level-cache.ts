import type { SkuOffer } from '@stockade/cart-domain';
import type { StockAvailability } from '@stockade/cart-service';
import { parseOrThrow, StockLevelChangedV1 } from '@stockade/contracts';
import type { Redis } from 'ioredis';
import { RedisUnavailable, translatingRedisErrors } from './redis-errors';
import { SET_STOCK_LEVEL_IF_NEWER } from './set-stock-level-if-newer';

export interface RedisStockLevelCacheOptions {
  readonly redis: Redis;
  /** Prepended to the SKU to form its hash key. Default `stockade:stock:`. */
  readonly keyPrefix?: string;
}

/**
 * The stock-level table in Redis, one hash per SKU (its level and, once listed, its name and
 * price: the carts' offers), shared by all cart-service instances: a
 * new instance reads it at once instead of replaying the stock-levels topic, and one consumer
 * group for the whole fleet is enough to keep it current.
 *
 * Ordering: a message is written only if it is not older than what is stored. The envelope
 * carries no monotonic per-SKU version, so the order is `occurredAt`, which inventory takes
 * from the command metadata of the SKU's single writer; a stream revision in the message
 * would be better (no ties, no clock), and would replace it here. A stale level only affects
 * badges and edit limits: the reservation at checkout is decided on inventory's own state.
 */
export class RedisStockLevelCache implements StockAvailability {
  private readonly redis: Redis;
  private readonly keyPrefix: string;

  constructor(options: RedisStockLevelCacheOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'stockade:stock:';
  }

  /** Handler for TOPICS.stockLevels. Idempotent: a redelivery or an older message changes nothing. */
  async handleStockLevelChanged(rawValue: string): Promise<void> {
    const message = parseOrThrow(StockLevelChangedV1, JSON.parse(rawValue));
    const { sku, available, onHand, reserved, status, name, unitPrice } = message.data;
    const order = Date.parse(message.occurredAt);
    const listed = name !== undefined && unitPrice !== undefined;
    await translatingRedisErrors('stock level write', () =>
      this.redis.eval(
        SET_STOCK_LEVEL_IF_NEWER,
        1,
        this.keyOf(sku),
        order,
        available,
        onHand,
        reserved,
        status,
        message.messageId,
        listed ? name : '',
        listed ? String(unitPrice) : '',
      ),
    );
  }

  async offers(skus: readonly string[]): Promise<ReadonlyMap<string, SkuOffer | undefined>> {
    if (skus.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const sku of skus) pipeline.hmget(this.keyOf(sku), 'available', 'name', 'unitPrice');
    const replies = (await translatingRedisErrors('stock level read', () => pipeline.exec())) ?? [];
    return new Map(
      skus.map((sku, index) => {
        const [error, value] = replies[index] ?? [null, null];
        if (error) throw new RedisUnavailable('stock level read', error);
        const [available, name, unitPrice] = (value ?? []) as (string | null)[];
        if (typeof available !== 'string') return [sku, undefined];
        const listing =
          typeof name === 'string' && typeof unitPrice === 'string' ? { name, unitPrice: Number(unitPrice) } : {};
        return [sku, { available: Number(available), ...listing }];
      }),
    );
  }

  private keyOf(sku: string): string {
    return `${this.keyPrefix}${sku}`;
  }
}

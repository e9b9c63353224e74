import { randomUUID } from 'node:crypto';
import type { Cart } from '@stockade/cart-domain';
import type { CartRepository } from '@stockade/cart-service';
import type { Redis } from 'ioredis';
import { stampVersion, versionOf, withVersion } from './cart-version';
import { ConcurrentCartUpdate, translatingRedisErrors } from './redis-errors';
import { SAVE_CART_IF_UNCHANGED } from './save-cart-if-unchanged';

export interface RedisCartRepositoryOptions {
  readonly redis: Redis;
  /** Prepended to the cart id to form the key. Default `stockade:cart:`. */
  readonly keyPrefix?: string;
  /** How long an untouched cart lives; every save restarts the clock. Default 7 days. */
  readonly ttlSeconds?: number;
}

/** What one key holds: the cart as JSON with the version that guards it. */
interface StoredCart {
  readonly version: number;
  readonly writeId: string;
  readonly cart: Cart;
}

export const DEFAULT_CART_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Carts in Redis, shared by every cart-service instance: one JSON string per cart, with a TTL
 * refreshed on each save so abandoned carts disappear by themselves.
 *
 * Lost updates between instances are prevented by optimistic versioning: `find` returns the
 * cart tagged with its stored version (see cart-version.ts), and `save` stores the new cart
 * only if the stored version is still that one (a Lua compare-and-set). Otherwise it throws
 * ConcurrentCartUpdate (code CONFLICT, retriable): the caller reloads and applies its change
 * again. A cart that expired between load and save also conflicts, and its reload then says
 * NOT_FOUND, which is the truth. A new cart (never loaded) is saved only if its key is free.
 */
export class RedisCartRepository implements CartRepository {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly ttlSeconds: number;

  constructor(options: RedisCartRepositoryOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'stockade:cart:';
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_CART_TTL_SECONDS;
  }

  async find(cartId: string): Promise<Cart | undefined> {
    const raw = await translatingRedisErrors('cart find', () => this.redis.get(this.keyOf(cartId)));
    if (raw === null) return undefined;
    const stored = JSON.parse(raw) as StoredCart;
    return withVersion(withoutStoredPrices(stored.cart), stored.version);
  }

  async save(cart: Cart): Promise<void> {
    const expectedVersion = versionOf(cart);
    const stored: StoredCart = { version: expectedVersion + 1, writeId: randomUUID(), cart };
    const result = await translatingRedisErrors('cart save', () =>
      this.redis.eval(
        SAVE_CART_IF_UNCHANGED,
        1,
        this.keyOf(cart.cartId),
        expectedVersion,
        stored.writeId,
        JSON.stringify(stored),
        this.ttlSeconds,
      ),
    );
    if (result !== 1) throw new ConcurrentCartUpdate(cart.cartId, expectedVersion);
    stampVersion(cart, stored.version);
  }

  private keyOf(cartId: string): string {
    return `${this.keyPrefix}${cartId}`;
  }
}

/**
 * Carts saved by a release before ADR 0022 hold a shopper's `unitPrice` on each line. The price is
 * the catalog's now: such a line loads as what the shopper chose (SKU and quantity), and the
 * price it carried is dropped for good at the next save.
 */
function withoutStoredPrices(cart: Cart): Cart {
  return { ...cart, lines: cart.lines.map(({ sku, quantity }) => ({ sku, quantity })) };
}

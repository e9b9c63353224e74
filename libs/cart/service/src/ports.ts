import type { Cart, SkuOffer } from '@stockade/cart-domain';

export type { SkuOffer } from '@stockade/cart-domain';

/** Where carts live: in-process in the embedded mode, Redis (with a TTL) when distributed. */
export interface CartRepository {
  find(cartId: string): Promise<Cart | undefined>;
  save(cart: Cart): Promise<void>;
}

/**
 * What the shop offers of each SKU now (undefined: unknown SKU): what inventory says is
 * available, and the SKU's catalog listing (name and price, absent until it is listed). The
 * availability is a hint for the shopper only: the reservation at checkout is the promise, so a
 * stale answer can never oversell. The price is the one a checkout of the cart is sent with.
 */
export interface StockAvailability {
  offers(skus: readonly string[]): Promise<ReadonlyMap<string, SkuOffer | undefined>>;
}

/**
 * Exchanges a shopper's payment token for the payment gateway's reference (ADR 0021): a checkout
 * is published with the reference, so the token never reaches a topic, a message log or a store.
 */
export interface PaymentTokenizer {
  tokenize(paymentToken: string): Promise<string>;
}

/**
 * Carts in this process (the embedded runner, a cart-service without Redis). Like Redis's TTL, a
 * cart not saved for `ttlMs` (STOCKADE_CART_TTL_SECONDS) is gone: kept forever, every cart ever
 * made stayed in memory (issue 22). Map order is the order of last saves, so the expired ones
 * are always at the front and each save or find drops them in passing.
 */
export class InMemoryCartRepository implements CartRepository {
  private readonly carts = new Map<string, { readonly cart: Cart; readonly savedAt: number }>();

  constructor(private readonly options: { readonly ttlMs?: number; readonly now?: () => number } = {}) {}

  async find(cartId: string): Promise<Cart | undefined> {
    this.dropExpired();
    return this.carts.get(cartId)?.cart;
  }

  async save(cart: Cart): Promise<void> {
    this.carts.delete(cart.cartId);
    this.carts.set(cart.cartId, { cart, savedAt: this.now() });
    this.dropExpired();
  }

  /** Carts held now. */
  get size(): number {
    return this.carts.size;
  }

  private dropExpired(): void {
    const { ttlMs } = this.options;
    if (ttlMs === undefined) return;
    const cutoff = this.now() - ttlMs;
    for (const [cartId, { savedAt }] of this.carts) {
      if (savedAt > cutoff) return;
      this.carts.delete(cartId);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

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

export class InMemoryCartRepository implements CartRepository {
  private readonly carts = new Map<string, Cart>();

  async find(cartId: string): Promise<Cart | undefined> {
    return this.carts.get(cartId);
  }

  async save(cart: Cart): Promise<void> {
    this.carts.set(cart.cartId, cart);
  }
}

import type { CartView } from '@stockade/cart-service';

/**
 * What the HTTP API needs from carts. In the embedded runner this is the service itself; in front
 * of distributed services a remote client (the gateway). Controllers see only this, so the public
 * contract is the same in both modes.
 */
export interface CartsFacade {
  create(request: { cartId?: string; customerId?: string }): Promise<CartView>;
  get(cartId: string): Promise<CartView>;
  /** Only the quantity: the price is the catalog's. */
  setItem(cartId: string, sku: string, change: { quantity: number }): Promise<CartView>;
  removeItem(cartId: string, sku: string): Promise<CartView>;
  checkout(cartId: string, paymentToken?: string): Promise<{ orderId: string }>;
}

/** Injection token: the cart module provides the facade of its own routes. */
export const CARTS_FACADE = Symbol('CartsFacade');

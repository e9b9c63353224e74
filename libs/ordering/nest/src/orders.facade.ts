import type { CheckoutRequest, OrderView } from '@stockade/contracts';

/**
 * What the HTTP API needs from ordering. In the embedded runner this is the service itself; in front
 * of distributed services a remote client (the gateway). Controllers see only this, so the public
 * contract is the same in both modes.
 */
export interface OrdersFacade {
  placeOrder(request: CheckoutRequest): Promise<{ orderId: string }>;
  getOrder(orderId: string): Promise<OrderView | undefined>;
  cancelOrder(orderId: string): Promise<void>;
}

/** Injection token: the ordering module provides the facade of its own routes. */
export const ORDERS_FACADE = Symbol('OrdersFacade');

/**
 * The PaymentGateway port. A shopper's payment token is exchanged for the gateway's reference at
 * the edge, before anything is written (ADR 0021): orders, messages and logs carry the reference,
 * never the token. Authorize and void are idempotent by order id: the payment worker re-runs an
 * authorization after a restart or a redelivery, and a void may be requested more than once.
 */
export interface AuthorizationRequest {
  readonly orderId: string;
  readonly amount: number;
  /** What `tokenize` gave for the shopper's token; absent when the checkout named no payment. */
  readonly paymentRef?: string;
}

export type PaymentDecision =
  { readonly outcome: 'approved' } | { readonly outcome: 'declined'; readonly reason: string };

/** Only the exchange, for publishers of checkouts that never authorize (the cart service). */
export interface PaymentTokenizer {
  /** The gateway's opaque reference for a shopper's payment token. Throws when the gateway cannot answer. */
  tokenize(paymentToken: string): Promise<string>;
}

export interface PaymentGateway extends PaymentTokenizer {
  /** Same order id, same answer: a repeat must not charge twice. Throws when the gateway cannot answer. */
  authorize(request: AuthorizationRequest): Promise<PaymentDecision>;
  /** Gives back an authorization; a no-op when there is none. */
  void(orderId: string): Promise<void>;
}

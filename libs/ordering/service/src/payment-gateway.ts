/**
 * The PaymentGateway port. Both calls are idempotent by order id: the payment worker re-runs
 * an authorization after a restart or a redelivery, and a void may be requested more than once.
 */
export interface AuthorizationRequest {
  readonly orderId: string;
  readonly amount: number;
  readonly paymentToken?: string;
}

export type PaymentDecision = { readonly outcome: 'approved' } | { readonly outcome: 'declined'; readonly reason: string };

export interface PaymentGateway {
  /** Same order id, same answer: a repeat must not charge twice. Throws when the gateway cannot answer. */
  authorize(request: AuthorizationRequest): Promise<PaymentDecision>;
  /** Gives back an authorization; a no-op when there is none. */
  void(orderId: string): Promise<void>;
}

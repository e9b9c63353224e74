import type { OrderCancellationRequested, OrderFact, OrderLine } from './order-events';

/** Time is an input: customer commands carry the instant they were issued. */
export interface CustomerCommandMetadata {
  readonly now: string;
}

export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly data: {
    readonly orderId: string;
    readonly customerId: string;
    readonly lines: readonly OrderLine[];
    readonly paymentToken?: string;
  };
  readonly metadata: CustomerCommandMetadata;
}

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly data: { readonly orderId: string };
  readonly metadata: CustomerCommandMetadata;
}

/**
 * What inventory and the payment worker report arrives as the fact itself: the saga records
 * it when its transition table accepts it, and ignores it otherwise (redelivery, late news).
 */
export type ReportedFact = Exclude<OrderFact, OrderCancellationRequested>;

export type OrderInput = PlaceOrder | CancelOrder | ReportedFact;

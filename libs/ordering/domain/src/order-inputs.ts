import type { OrderLine, ReservationPart, ShortLine } from './order-events';

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
    /** The payment gateway's reference for the shopper's payment token (never the token itself: ADR 0021). */
    readonly paymentRef?: string;
    /** Inventory shards the lines live on (sharded inventory only), as `partsOf` splits them. */
    readonly parts?: readonly ReservationPart[];
  };
  readonly metadata: CustomerCommandMetadata;
}

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly data: { readonly orderId: string };
  readonly metadata: CustomerCommandMetadata;
}

type Reported<Type extends string, Data extends object = object> = {
  readonly type: Type;
  readonly data: Readonly<Data> & { readonly orderId: string };
};

/** Inventory's reports about one part name its shard when the order is in several parts. */
type FromPart = { shard?: number };

/**
 * What inventory and the payment worker report about an order. The saga turns a report its
 * transition table accepts into the event it stores, and ignores the others (redelivery, late news).
 */
export type ReportedFact =
  /**
   * `paymentDecided`: the order service asked the gateway as it took this report in, and the
   * decision is written with it in the same append (ADR 0033), so no AuthorizePayment is sent.
   */
  | Reported<'StockReserved', { expiresAt: string; paymentDecided?: true } & FromPart>
  | Reported<'StockReservationRejected', { shortLines: readonly ShortLine[] } & FromPart>
  | Reported<'PaymentAuthorized'>
  | Reported<'PaymentDeclined', { reason: string }>
  | Reported<'PaymentTimedOut'>
  | Reported<'ReservationCommitted', FromPart>
  | Reported<'ReservationCommitRefused', { reason: string } & FromPart>
  | Reported<'ReservationReleased', { reason: string } & FromPart>
  | Reported<'ReservationExpired', FromPart>
  /** The order service's own deadline: a part of an order in several parts had no answer within `waitedMs` (ADR 0020). */
  | Reported<'ReservationAnswerTimedOut', { waitedMs: number }>;

/** A customer's cancel, once accepted, is a fact of the saga like the reported ones. */
export type CancellationFact = Reported<'OrderCancellationRequested', { requestedAt: string }>;

export type SagaFact = ReportedFact | CancellationFact;

export type OrderInput = PlaceOrder | CancelOrder | ReportedFact;

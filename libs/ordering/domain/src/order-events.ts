/**
 * What is stored in an order's stream (`order-<orderId>`), event model v2 (ADR 0015). Each step
 * of the saga is ONE event, the fact itself: what the saga sends on because of it (a reservation
 * request, a payment call, a release) is derived from that fact by the relay (saga-commands.ts),
 * not stored a second time, and a step that ends the order is stored as its outcome alone
 * (inventory's "committed" becomes OrderCompleted). Every event names its order, so the relay can
 * map one event without reading the stream. Streams written by v1 still load: order-upcasting.ts.
 */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface ShortLine {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
  readonly reason: string;
}

/**
 * Where the lines of an order are reserved when inventory is sharded (ADR 0020): the SKUs of one
 * inventory shard. Stored with the order when it is placed, so a change of the shard count never
 * splits an order in flight differently. One part: the order is routed to its shard and otherwise
 * runs as before; several: each part is reserved, committed and released on its own.
 */
export interface ReservationPart {
  readonly shard: number;
  readonly skus: readonly string[];
}

/** The shards an order's commit or release goes to (absent when inventory is not sharded). */
export interface Routed {
  readonly shards?: readonly number[];
}

export type OrderEventOf<Type extends string, Data extends object = object> = {
  readonly type: Type;
  readonly data: Readonly<Data> & { readonly orderId: string };
};

/**
 * Placed; the stock reservation is asked for. `paymentRef` is the gateway's reference for the
 * shopper's payment token; the token itself is never stored (ADR 0021). `legacyPaymentToken` is
 * only ever read: what an OrderPlaced written before ADR 0021 stored as `paymentToken`, kept in
 * memory for the payment worker to exchange for a reference (order-upcasting.ts), never written.
 */
export type OrderPlaced = OrderEventOf<
  'OrderPlaced',
  {
    customerId: string;
    lines: readonly OrderLine[];
    paymentRef?: string;
    legacyPaymentToken?: string;
    total: number;
    placedAt: string;
    parts?: readonly ReservationPart[];
  }
>;
/**
 * Stock held until `expiresAt`; the payment of `amount` is asked for (so the relay needs nothing
 * else), unless `paymentDecided`: the payment was decided inline and its decision is the next event
 * of the same append (ADR 0033). Without the flag (every stream written before 0033, and the
 * fallback when the gateway could not answer inline) the AuthorizePayment command goes out.
 */
export type StockReserved = OrderEventOf<
  'StockReserved',
  { expiresAt: string; amount: number; paymentRef?: string; paymentDecided?: true }
>;
/** Paid; the reservation commit is asked for. */
export type PaymentAuthorized = OrderEventOf<'PaymentAuthorized', Routed>;
/** Not paid; the release is asked for. */
export type PaymentDeclined = OrderEventOf<'PaymentDeclined', { reason: string } & Routed>;
/** No answer in time; the release, and a void of any late approval, are asked for. */
export type PaymentTimedOut = OrderEventOf<'PaymentTimedOut', Routed>;
/** The customer cancelled before payment; the release is asked for. */
export type OrderCancellationRequested = OrderEventOf<'OrderCancellationRequested', { requestedAt: string } & Routed>;
/** One part of an order in several parts is held; the order waits for the others. */
export type StockPartReserved = OrderEventOf<'StockPartReserved', { shard: number; expiresAt: string }>;
/** One part was refused, with its short lines; the order waits for the others, to name every short line. */
export type StockPartRejected = OrderEventOf<'StockPartRejected', { shard: number; shortLines: readonly ShortLine[] }>;
/** One part's units are sold; the order completes when every part's are. */
export type ReservationPartCommitted = OrderEventOf<'ReservationPartCommitted', { shard: number }>;
/** Money authorized for an order that will not complete goes back (late approvals, a refused commit). */
export type PaymentVoidRequested = OrderEventOf<'PaymentVoidRequested', { reason: string }>;

export type OrderCompleted = OrderEventOf<
  'OrderCompleted',
  { customerId: string; lines: readonly OrderLine[]; total: number }
>;
/** `releaseShards`: parts of an order in several parts that still hold stock and are released with the outcome. */
export type OrderRejected = OrderEventOf<
  'OrderRejected',
  { customerId: string; reasons: readonly string[]; releaseShards?: readonly number[] }
>;
export type OrderCancelled = OrderEventOf<
  'OrderCancelled',
  { customerId: string; reasons: readonly string[]; releaseShards?: readonly number[] }
>;

/** The steps that move an in-flight saga; the transition table guards them by phase. */
export type OrderStep =
  StockReserved | PaymentAuthorized | PaymentDeclined | PaymentTimedOut | OrderCancellationRequested;
export type OrderOutcome = OrderCompleted | OrderRejected | OrderCancelled;

/** What the parts of an order in several parts report, one by one; they move no phase themselves. */
export type OrderPartStep = StockPartReserved | StockPartRejected | ReservationPartCommitted;

export type OrderEvent = OrderPlaced | OrderStep | OrderPartStep | PaymentVoidRequested | OrderOutcome;
export type OrderEventType = OrderEvent['type'];

export const orderStreamName = (orderId: string): string => `order-${orderId}`;
export const ORDER_STREAM_PREFIX = 'order-';

/**
 * Everything that can happen to an order, as stored in its stream (`order-<orderId>`).
 * Three kinds, deliberately named apart:
 * - facts the saga accepted (its inputs, recorded so a restart rebuilds the same state);
 * - outbox commands (`…Requested`): the relay turns each into a message for inventory or payments;
 * - outcomes (`Order…`): published to upstream on the order events topic.
 * Every event names its order, so the outbox can map one event without reading the stream.
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

type OrderEventOf<Type extends string, Data extends object = object> = {
  readonly type: Type;
  readonly data: Readonly<Data> & { readonly orderId: string };
};

// Facts
export type OrderPlaced = OrderEventOf<
  'OrderPlaced',
  { customerId: string; lines: readonly OrderLine[]; paymentToken?: string; total: number; placedAt: string }
>;
export type StockReserved = OrderEventOf<'StockReserved', { expiresAt: string }>;
export type StockReservationRejected = OrderEventOf<'StockReservationRejected', { shortLines: readonly ShortLine[] }>;
export type PaymentAuthorized = OrderEventOf<'PaymentAuthorized'>;
export type PaymentDeclined = OrderEventOf<'PaymentDeclined', { reason: string }>;
export type PaymentTimedOut = OrderEventOf<'PaymentTimedOut'>;
export type ReservationCommitted = OrderEventOf<'ReservationCommitted'>;
export type ReservationCommitRefused = OrderEventOf<'ReservationCommitRefused', { reason: string }>;
export type ReservationReleased = OrderEventOf<'ReservationReleased', { reason: string }>;
export type ReservationExpired = OrderEventOf<'ReservationExpired'>;
export type OrderCancellationRequested = OrderEventOf<'OrderCancellationRequested', { requestedAt: string }>;

// Outbox commands
export type StockReservationRequested = OrderEventOf<
  'StockReservationRequested',
  { lines: readonly { readonly sku: string; readonly quantity: number }[] }
>;
export type PaymentAuthorizationRequested = OrderEventOf<'PaymentAuthorizationRequested', { amount: number; paymentToken?: string }>;
export type ReservationCommitRequested = OrderEventOf<'ReservationCommitRequested'>;
export type ReservationReleaseRequested = OrderEventOf<'ReservationReleaseRequested', { reason: string }>;
export type PaymentVoidRequested = OrderEventOf<'PaymentVoidRequested', { reason: string }>;

// Outcomes
export type OrderCompleted = OrderEventOf<'OrderCompleted', { customerId: string; lines: readonly OrderLine[]; total: number }>;
export type OrderRejected = OrderEventOf<'OrderRejected', { customerId: string; reasons: readonly string[] }>;
export type OrderCancelled = OrderEventOf<'OrderCancelled', { customerId: string; reasons: readonly string[] }>;

/** The facts that move the saga; the transition table is keyed by these types. */
export type OrderFact =
  | StockReserved
  | StockReservationRejected
  | PaymentAuthorized
  | PaymentDeclined
  | PaymentTimedOut
  | ReservationCommitted
  | ReservationCommitRefused
  | ReservationReleased
  | ReservationExpired
  | OrderCancellationRequested;

export type OrderOutboxCommand =
  | StockReservationRequested
  | PaymentAuthorizationRequested
  | ReservationCommitRequested
  | ReservationReleaseRequested
  | PaymentVoidRequested;

export type OrderOutcomeEvent = OrderCompleted | OrderRejected | OrderCancelled;

export type OrderEvent = OrderPlaced | OrderFact | OrderOutboxCommand | OrderOutcomeEvent;
export type OrderEventType = OrderEvent['type'];

const FACT_TYPES: ReadonlySet<string> = new Set<OrderFact['type']>([
  'StockReserved',
  'StockReservationRejected',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentTimedOut',
  'ReservationCommitted',
  'ReservationCommitRefused',
  'ReservationReleased',
  'ReservationExpired',
  'OrderCancellationRequested',
]);

export function isOrderFact(event: OrderEvent): event is OrderFact {
  return FACT_TYPES.has(event.type);
}

export const orderStreamName = (orderId: string): string => `order-${orderId}`;
export const ORDER_STREAM_PREFIX = 'order-';

import type { OrderEvent, OrderEventType, OrderPlaced } from './order-events';
import { orderDecider } from './order-decider';
import { OrderState, paymentRefOf } from './order-state';

/** An order event as the store holds it: the type name carries the schema version. */
export interface StoredOrderEvent {
  readonly type: string;
  readonly data: unknown;
}

export const ORDER_EVENT_VERSION = 2;

/** `OrderPlaced` is stored as `OrderPlaced.v2`; a name without a version suffix was written by v1. */
export function storedTypeOf(type: OrderEventType): string {
  return `${type}.v${ORDER_EVENT_VERSION}`;
}

/** Type and schema version of a stored name: `OrderPlaced.v2` → ['OrderPlaced', 2], `OrderPlaced` → ['OrderPlaced', 1]. */
export function parseStoredType(stored: string): readonly [type: string, version: number] {
  const match = /^(.*)\.v(\d+)$/.exec(stored);
  return match ? [match[1] as string, Number(match[2])] : [stored, 1];
}

/** v1 events that v2 does not store: the outbox commands (now derived by the relay) and the facts an outcome stood next to. */
const DROPPED_FROM_V1: ReadonlySet<string> = new Set([
  'StockReservationRequested',
  'PaymentAuthorizationRequested',
  'ReservationCommitRequested',
  'ReservationReleaseRequested',
  'StockReservationRejected',
  'ReservationCommitted',
  'ReservationCommitRefused',
  'ReservationReleased',
  'ReservationExpired',
]);

/**
 * The v2 events a stored event stands for, given the order's state before it. v1 wrote each
 * fact next to the command it led to and the outcome it ended in; its outcome and step events
 * carry what v2 needs, so upcasting drops the rest. What v2 folds from a step (release reason,
 * void) is what v1 stored beside it, so a v1 stream lands in the same state either way. A type or
 * version this code does not know (a newer writer) is skipped, as the inventory fold does.
 */
export function upcastOrderEvent(stored: StoredOrderEvent, before: OrderState): readonly OrderEvent[] {
  const [type, version] = parseStoredType(stored.type);
  if (version === ORDER_EVENT_VERSION)
    return isOrderEventType(type) ? [withoutPaymentToken({ type, data: stored.data } as OrderEvent)] : [];
  if (version !== 1 || DROPPED_FROM_V1.has(type)) return [];
  if (type === 'StockReserved') {
    // v1 asked for the payment in an event of its own; v2 carries the amount on the step.
    if (before.kind !== 'existing') return [];
    const { order } = before;
    const { expiresAt } = stored.data as { expiresAt: string };
    return [{ type, data: { orderId: order.orderId, expiresAt, amount: order.total, ...paymentRefOf(order) } }];
  }
  return isOrderEventType(type) ? [withoutPaymentToken({ type, data: stored.data } as OrderEvent)] : [];
}

/**
 * Before ADR 0021, OrderPlaced and StockReserved stored the shopper's payment token itself. Loaded,
 * an order keeps it only as `legacyPaymentToken`, in memory, for the payment worker to exchange
 * for the gateway's reference; no event decided afterwards carries it (StockReserved carries the
 * reference only), and operator views redact it where it is still stored.
 */
function withoutPaymentToken(event: OrderEvent): OrderEvent {
  if (!('paymentToken' in event.data)) return event;
  const { paymentToken, ...data } = event.data as typeof event.data & { paymentToken?: unknown };
  if (event.type === 'OrderPlaced' && typeof paymentToken === 'string')
    return { type: 'OrderPlaced', data: { ...(data as OrderPlaced['data']), legacyPaymentToken: paymentToken } };
  return { ...event, data } as OrderEvent;
}

/** Every v2 type; v1 wrote these too, with the same data (StockReserved aside). */
const V2_TYPES: ReadonlySet<string> = new Set<OrderEventType>([
  'OrderPlaced',
  'StockReserved',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentTimedOut',
  'OrderCancellationRequested',
  'PaymentVoidRequested',
  'OrderCompleted',
  'OrderRejected',
  'OrderCancelled',
  'StockPartReserved',
  'StockPartRejected',
  'ReservationPartCommitted',
]);

export function isOrderEventType(type: string): type is OrderEventType {
  return V2_TYPES.has(type);
}

/** Folds stored events of any known version onto a state. */
export function foldStoredOrderEvents(state: OrderState, stored: readonly StoredOrderEvent[]): OrderState {
  let current = state;
  for (const event of stored) {
    for (const upcast of upcastOrderEvent(event, current)) current = orderDecider.evolve(current, upcast);
  }
  return current;
}

import type { OrderEvent, OrderFact } from './order-events';
import type { ExistingOrder, OrderPhase } from './order-state';

/**
 * THE order saga: every legal move, phase × fact → next phase, with what the saga records
 * and sends on the way. A fact missing for the current phase is not a move: reported facts are
 * then ignored (redelivery, late news), customer commands are refused. `evolve` reads the next
 * phase from here too, so replaying a stream cannot disagree with deciding it.
 */
export interface Transition<Fact extends OrderFact> {
  readonly next: OrderPhase;
  /** The fact first, then the outbox commands and outcomes; [] means "accepted, nothing to do". */
  readonly then: (fact: Fact, current: ExistingOrder) => readonly OrderEvent[];
}

export type TransitionsFrom = { readonly [Type in OrderFact['type']]?: Transition<Extract<OrderFact, { type: Type }>> };

export const CANCELLED_BY_CUSTOMER = 'cancelled by customer';
export const PAYMENT_TIMED_OUT = 'payment timed out';
export const RESERVATION_EXPIRED = 'reservation expired';

export const ORDER_TRANSITIONS: { readonly [Phase in OrderPhase]: TransitionsFrom } = {
  PLACED: {
    StockReserved: { next: 'AWAITING_PAYMENT', then: (fact, { order }) => [fact, paymentAuthorizationRequested(order)] },
    StockReservationRejected: {
      next: 'REJECTED',
      then: (fact, { order }) => [fact, outcome('OrderRejected', order, fact.data.shortLines.map((line) => line.reason))],
    },
    // The reserve is still in flight; the release follows it on the same key, so it frees whatever it takes.
    OrderCancellationRequested: { next: 'RELEASING', then: (fact, { order }) => [fact, releaseRequested(order, CANCELLED_BY_CUSTOMER)] },
  },
  AWAITING_PAYMENT: {
    PaymentAuthorized: { next: 'COMMITTING', then: (fact, { order }) => [fact, commitRequested(order)] },
    PaymentDeclined: {
      next: 'RELEASING',
      then: (fact, { order }) => [fact, releaseRequested(order, `payment declined: ${fact.data.reason}`)],
    },
    // The gateway may still approve after we stopped waiting: void whatever it decides.
    PaymentTimedOut: {
      next: 'RELEASING',
      then: (fact, { order }) => [fact, releaseRequested(order, PAYMENT_TIMED_OUT), voidRequested(order, PAYMENT_TIMED_OUT)],
    },
    OrderCancellationRequested: { next: 'RELEASING', then: (fact, { order }) => [fact, releaseRequested(order, CANCELLED_BY_CUSTOMER)] },
    // Inventory already took the stock back; a payment still in flight is voided when it lands.
    ReservationExpired: { next: 'CANCELLED', then: (fact, { order }) => [fact, outcome('OrderCancelled', order, [RESERVATION_EXPIRED])] },
  },
  COMMITTING: {
    ReservationCommitted: { next: 'COMPLETED', then: (fact, { order }) => [fact, completed(order)] },
    ReservationCommitRefused: {
      next: 'CANCELLED',
      then: (fact, { order }) => {
        const reason = `reservation commit refused: ${fact.data.reason}`;
        return [fact, voidRequested(order, reason), outcome('OrderCancelled', order, [reason])];
      },
    },
  },
  RELEASING: {
    ReservationReleased: { next: 'CANCELLED', then: cancelForReleaseReason },
    // The in-flight reserve of a cancelled order failed or lapsed: nothing is held, nothing to wait for.
    StockReservationRejected: { next: 'CANCELLED', then: cancelForReleaseReason },
    ReservationExpired: { next: 'CANCELLED', then: cancelForReleaseReason },
    // A customer repeating the cancel: already under way, so accepted without a new event.
    OrderCancellationRequested: { next: 'RELEASING', then: () => [] },
    PaymentAuthorized: { next: 'RELEASING', then: voidLatePayment },
    PaymentTimedOut: { next: 'RELEASING', then: voidLatePayment },
  },
  COMPLETED: {},
  REJECTED: {},
  CANCELLED: {
    PaymentAuthorized: { next: 'CANCELLED', then: voidLatePayment },
    PaymentTimedOut: { next: 'CANCELLED', then: voidLatePayment },
  },
};

export function transitionFor<Fact extends OrderFact>(phase: OrderPhase, fact: Fact): Transition<Fact> | undefined {
  // The mapped table type guarantees the entry for `fact.type` takes exactly this fact.
  return ORDER_TRANSITIONS[phase][fact.type] as Transition<Fact> | undefined;
}

function cancelForReleaseReason(fact: OrderFact, current: ExistingOrder): readonly OrderEvent[] {
  return [fact, outcome('OrderCancelled', current.order, [current.releaseReason ?? CANCELLED_BY_CUSTOMER])];
}

/** Money authorized for an order that will not complete goes back, once. */
function voidLatePayment(fact: OrderFact, current: ExistingOrder): readonly OrderEvent[] {
  if (current.paymentVoidRequested) return [];
  return [fact, voidRequested(current.order, `order ${current.phase === 'CANCELLED' ? 'already cancelled' : 'being cancelled'}`)];
}

type OrderRef = ExistingOrder['order'];

const paymentAuthorizationRequested = (order: OrderRef): OrderEvent => ({
  type: 'PaymentAuthorizationRequested',
  data: { orderId: order.orderId, amount: order.total, ...(order.paymentToken === undefined ? {} : { paymentToken: order.paymentToken }) },
});

const commitRequested = (order: OrderRef): OrderEvent => ({ type: 'ReservationCommitRequested', data: { orderId: order.orderId } });

const releaseRequested = (order: OrderRef, reason: string): OrderEvent => ({
  type: 'ReservationReleaseRequested',
  data: { orderId: order.orderId, reason },
});

const voidRequested = (order: OrderRef, reason: string): OrderEvent => ({ type: 'PaymentVoidRequested', data: { orderId: order.orderId, reason } });

const completed = (order: OrderRef): OrderEvent => ({
  type: 'OrderCompleted',
  data: { orderId: order.orderId, customerId: order.customerId, lines: order.lines, total: order.total },
});

const outcome = (type: 'OrderRejected' | 'OrderCancelled', order: OrderRef, reasons: readonly string[]): OrderEvent => ({
  type,
  data: { orderId: order.orderId, customerId: order.customerId, reasons },
});

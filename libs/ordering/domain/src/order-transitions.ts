import type { OrderEvent, OrderStep } from './order-events';
import { isInParts, otherHeldParts, partAnswered, partCommitted, partsTimedOut, routeOf } from './order-parts';
import type { SagaFact } from './order-inputs';
import { ExistingOrder, OrderPhase, paymentRefOf } from './order-state';
import { CANCELLED_BY_CUSTOMER, RESERVATION_EXPIRED } from './saga-commands';

export { CANCELLED_BY_CUSTOMER, PAYMENT_TIMED_OUT, RESERVATION_EXPIRED } from './saga-commands';

/**
 * THE order saga: every legal move, phase × fact → the phase it moves to, with the one event the saga
 * stores for it (two on the rare paths that also void a payment). A fact missing for the current
 * phase is not a move: reported facts are then ignored (redelivery, late news), customer commands
 * are refused. `evolve` reads the next phase from here too, so replaying a stream cannot disagree
 * with deciding it.
 */
export interface Transition<Fact extends SagaFact> {
  /** The phase the order is in once the step is stored (the same phase: accepted, not a move). */
  readonly toPhase: OrderPhase;
  /**
   * The events the saga stores for the fact; [] means "accepted, nothing to record". (Not
   * `then`: an object with a `then` method is a thenable, which `await` would call.)
   */
  readonly record: (fact: Fact, current: ExistingOrder) => readonly OrderEvent[];
}

export type TransitionsFrom = { readonly [Type in SagaFact['type']]?: Transition<Extract<SagaFact, { type: Type }>> };

export const ORDER_TRANSITIONS: { readonly [Phase in OrderPhase]: TransitionsFrom } = {
  PLACED: {
    // An order in several parts waits here for every part's answer (order-parts.ts); `toPhase` is where the stored StockReserved moves it.
    StockReserved: {
      toPhase: 'AWAITING_PAYMENT',
      record: (fact, current) => {
        const { data } = fact;
        const { order } = current;
        if (isInParts(order)) return partAnswered(current, data.shard, { expiresAt: data.expiresAt });
        return [
          {
            type: 'StockReserved',
            data: {
              orderId: data.orderId,
              expiresAt: data.expiresAt,
              amount: order.total,
              ...paymentRefOf(order),
              ...(data.paymentDecided ? { paymentDecided: true } : {}),
            },
          },
        ];
      },
    },
    StockReservationRejected: {
      toPhase: 'REJECTED',
      record: (fact, current) => {
        if (isInParts(current.order))
          return partAnswered(current, fact.data.shard, { shortLines: fact.data.shortLines });
        return [
          outcome(
            'OrderRejected',
            current.order,
            fact.data.shortLines.map((line) => line.reason),
          ),
        ];
      },
    },
    // The reserve is still in flight; the release follows it on the same key (and shard), so it frees whatever it takes.
    OrderCancellationRequested: { toPhase: 'RELEASING', record: routed },
    // A part whose shard did not answer in time (no owner, an outage): rejected, every part released (order-parts.ts).
    ReservationAnswerTimedOut: {
      toPhase: 'REJECTED',
      record: (fact, current) => partsTimedOut(current, fact.data.waitedMs),
    },
  },
  AWAITING_PAYMENT: {
    PaymentAuthorized: { toPhase: 'COMMITTING', record: routed },
    PaymentDeclined: { toPhase: 'RELEASING', record: routed },
    PaymentTimedOut: { toPhase: 'RELEASING', record: routed },
    OrderCancellationRequested: { toPhase: 'RELEASING', record: routed },
    // Inventory already took the stock back (of that part); a payment still in flight is voided when it lands.
    ReservationExpired: {
      toPhase: 'CANCELLED',
      record: (fact, current) => [
        outcome(
          'OrderCancelled',
          current.order,
          [RESERVATION_EXPIRED],
          isInParts(current.order) ? otherHeldParts(current, fact.data.shard) : [],
        ),
      ],
    },
  },
  COMMITTING: {
    ReservationCommitted: {
      toPhase: 'COMPLETED',
      record: (fact, current) => {
        const { order } = current;
        if (isInParts(order)) return partCommitted(current, fact.data.shard);
        return [
          {
            type: 'OrderCompleted',
            data: { orderId: order.orderId, customerId: order.customerId, lines: order.lines, total: order.total },
          },
        ];
      },
    },
    ReservationCommitRefused: {
      toPhase: 'CANCELLED',
      record: (fact, current) => {
        const reason = `reservation commit refused: ${fact.data.reason}`;
        // Parts not committed yet are released; one already committed keeps its sale (ADR 0020: returning it is not built).
        const release = isInParts(current.order) ? otherHeldParts(current, fact.data.shard) : [];
        return [
          voidRequested(current.order.orderId, reason),
          outcome('OrderCancelled', current.order, [reason], release),
        ];
      },
    },
  },
  RELEASING: {
    ReservationReleased: { toPhase: 'CANCELLED', record: cancelForReleaseReason },
    // The in-flight reserve of a cancelled order failed or lapsed: nothing is held, nothing to wait for.
    StockReservationRejected: { toPhase: 'CANCELLED', record: cancelForReleaseReason },
    ReservationExpired: { toPhase: 'CANCELLED', record: cancelForReleaseReason },
    // A customer repeating the cancel: already under way, so accepted without a new event.
    OrderCancellationRequested: { toPhase: 'RELEASING', record: () => [] },
    PaymentAuthorized: { toPhase: 'RELEASING', record: voidLatePayment },
    PaymentTimedOut: { toPhase: 'RELEASING', record: voidLatePayment },
  },
  COMPLETED: {},
  REJECTED: {},
  CANCELLED: {
    PaymentAuthorized: { toPhase: 'CANCELLED', record: voidLatePayment },
    PaymentTimedOut: { toPhase: 'CANCELLED', record: voidLatePayment },
  },
};

export function transitionFor<Fact extends SagaFact>(phase: OrderPhase, fact: Fact): Transition<Fact> | undefined {
  // The mapped table type guarantees the entry for `fact.type` takes exactly this fact.
  return ORDER_TRANSITIONS[phase][fact.type] as Transition<Fact> | undefined;
}

/** A stored step moves the saga only where the table has a move to another phase for it. */
export function moveOf(phase: OrderPhase, step: OrderStep): OrderPhase | undefined {
  const toPhase = (ORDER_TRANSITIONS[phase][step.type] as Transition<SagaFact> | undefined)?.toPhase;
  return toPhase === phase ? undefined : toPhase;
}

function cancelForReleaseReason(_fact: SagaFact, current: ExistingOrder): readonly OrderEvent[] {
  return [outcome('OrderCancelled', current.order, [current.releaseReason ?? CANCELLED_BY_CUSTOMER])];
}

/** Money authorized for an order that will not complete goes back, once; the late news itself is not stored. */
function voidLatePayment(_fact: SagaFact, current: ExistingOrder): readonly OrderEvent[] {
  if (current.paymentVoidRequested) return [];
  return [
    voidRequested(
      current.order.orderId,
      `order ${current.phase === 'CANCELLED' ? 'already cancelled' : 'being cancelled'}`,
    ),
  ];
}

type OrderRef = ExistingOrder['order'];

const voidRequested = (orderId: string, reason: string): OrderEvent => ({
  type: 'PaymentVoidRequested',
  data: { orderId, reason },
});

const outcome = (
  type: 'OrderRejected' | 'OrderCancelled',
  order: OrderRef,
  reasons: readonly string[],
  releaseShards: readonly number[] = [],
): OrderEvent => ({
  type,
  data: {
    orderId: order.orderId,
    customerId: order.customerId,
    reasons,
    ...(releaseShards.length > 0 ? { releaseShards } : {}),
  },
});

/** A step stored as the fact itself, with the shards its commit or release goes to when inventory is sharded. */
function routed<Fact extends SagaFact>(fact: Fact, current: ExistingOrder): readonly OrderEvent[] {
  return [{ ...fact, data: { ...fact.data, ...routeOf(current.order) } } as unknown as OrderEvent];
}

import { assertNever, Decider, NotFoundError, ValidationError } from '@stockade/kernel';
import type { OrderEvent, OrderStep } from './order-events';
import { CheckoutIdReused, repeatsPlacedOrder } from './checkout-repeat';
import { OrderCannotBeCancelled } from './order-errors';
import type { CancelOrder, CancellationFact, OrderInput, PlaceOrder, ReportedFact } from './order-inputs';
import { ExistingOrder, NO_ORDER, OrderState, orderTotal } from './order-state';
import { evolveParts, isInParts, NO_PROGRESS } from './order-parts';
import { moveOf, transitionFor } from './order-transitions';
import { SagaCommand, sagaCommandsOf } from './saga-commands';

/**
 * The order and its saga as one workflow decider: inputs are customer commands and the facts
 * inventory and payments report; outputs are the events stored, from which the relay derives
 * what the saga sends (saga-commands.ts). Where the saga may go is decided by ORDER_TRANSITIONS alone.
 */
export const orderDecider: Decider<OrderInput, OrderEvent, OrderState> = {
  decide(input, state) {
    switch (input.type) {
      case 'PlaceOrder':
        return placeOrder(input, state);
      case 'CancelOrder':
        return cancelOrder(input, state);
      default:
        // Every other input is a fact reported by inventory or payments (the type says so).
        return recordReported(input, state);
    }
  },
  evolve,
  initialState: () => NO_ORDER,
};

/**
 * Placing is idempotent: the checkout id is the order id, so a repeat finds the order already
 * there and changes nothing; the same id for a different checkout is refused (checkout-repeat.ts).
 */
function placeOrder(command: PlaceOrder, state: OrderState): readonly OrderEvent[] {
  if (state.kind === 'existing') {
    if (repeatsPlacedOrder(state.order, command.data)) return [];
    throw new CheckoutIdReused(command.data.orderId);
  }
  const { orderId, customerId, lines, paymentRef, parts } = command.data;
  if (lines.length === 0) throw new ValidationError([{ field: 'lines', message: 'must have at least one line' }]);
  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId,
        customerId,
        lines,
        ...(paymentRef === undefined ? {} : { paymentRef }),
        total: orderTotal(lines),
        placedAt: command.metadata.now,
        ...(parts === undefined ? {} : { parts }),
      },
    },
  ];
}

function cancelOrder(command: CancelOrder, state: OrderState): readonly OrderEvent[] {
  if (state.kind === 'none') throw new NotFoundError('order', command.data.orderId);
  const fact: CancellationFact = {
    type: 'OrderCancellationRequested',
    data: { orderId: command.data.orderId, requestedAt: command.metadata.now },
  };
  const transition = transitionFor(state.phase, fact);
  if (!transition) throw new OrderCannotBeCancelled(command.data.orderId, state.phase);
  return transition.record(fact, state);
}

/** News the table has no move for is old news: a redelivery or a late message. */
function recordReported(fact: ReportedFact, state: OrderState): readonly OrderEvent[] {
  if (state.kind === 'none') return [];
  return transitionFor(state.phase, fact)?.record(fact, state) ?? [];
}

function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    if (state.kind === 'existing') return state;
    return {
      kind: 'existing',
      phase: 'PLACED',
      order: event.data,
      reasons: [],
      paymentVoidRequested: false,
      ...(isInParts(event.data) ? { parts: NO_PROGRESS } : {}),
    };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'StockReserved':
    case 'PaymentAuthorized':
    case 'PaymentDeclined':
    case 'PaymentTimedOut':
    case 'OrderCancellationRequested':
      return evolveStep(state, event);
    case 'StockPartReserved':
    case 'StockPartRejected':
    case 'ReservationPartCommitted':
      return { ...state, parts: evolveParts(state.parts ?? NO_PROGRESS, event) };
    case 'PaymentVoidRequested':
      return { ...state, paymentVoidRequested: true };
    case 'OrderCompleted':
      return { ...state, phase: 'COMPLETED' };
    case 'OrderRejected':
      return { ...state, phase: 'REJECTED', reasons: event.data.reasons };
    case 'OrderCancelled':
      return { ...state, phase: 'CANCELLED', reasons: event.data.reasons };
    default:
      return assertNever(event, 'order event');
  }
}

/** A step moves the phase as the table says, and records what it asked for (the release reason, a void). */
function evolveStep(state: ExistingOrder, step: OrderStep): ExistingOrder {
  const toPhase = moveOf(state.phase, step);
  if (toPhase === undefined) return state;
  return sagaCommandsOf(step).reduce(recordAskedFor, { ...state, phase: toPhase });
}

function recordAskedFor(state: ExistingOrder, command: SagaCommand): ExistingOrder {
  switch (command.kind) {
    case 'ReleaseReservation':
      return { ...state, releaseReason: command.reason };
    case 'VoidPayment':
      return { ...state, paymentVoidRequested: true };
    case 'ReserveStock':
    case 'AuthorizePayment':
    case 'CommitReservation':
      return state;
    default:
      return assertNever(command, 'saga command');
  }
}

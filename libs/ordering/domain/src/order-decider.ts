import { assertNever, Decider, NotFoundError, ValidationError } from '@stockade/kernel';
import { isOrderFact, OrderEvent, OrderFact } from './order-events';
import { OrderCannotBeCancelled } from './order-errors';
import type { CancelOrder, OrderInput, PlaceOrder } from './order-inputs';
import { NO_ORDER, OrderState, orderTotal } from './order-state';
import { transitionFor } from './order-transitions';

/**
 * The order and its saga as one workflow decider: inputs are customer commands and the facts
 * inventory and payments report; outputs are events, among them the outbox commands the saga
 * sends. Where the saga may go is decided by ORDER_TRANSITIONS alone.
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

/** Placing is idempotent: the checkout id is the order id, so a repeat finds the order already there. */
function placeOrder(command: PlaceOrder, state: OrderState): readonly OrderEvent[] {
  if (state.kind === 'existing') return [];
  const { orderId, customerId, lines, paymentToken } = command.data;
  if (lines.length === 0) throw new ValidationError([{ field: 'lines', message: 'must have at least one line' }]);
  return [
    {
      type: 'OrderPlaced',
      data: { orderId, customerId, lines, ...(paymentToken === undefined ? {} : { paymentToken }), total: orderTotal(lines), placedAt: command.metadata.now },
    },
    { type: 'StockReservationRequested', data: { orderId, lines: lines.map(({ sku, quantity }) => ({ sku, quantity })) } },
  ];
}

function cancelOrder(command: CancelOrder, state: OrderState): readonly OrderEvent[] {
  if (state.kind === 'none') throw new NotFoundError('order', command.data.orderId);
  const fact: OrderFact = { type: 'OrderCancellationRequested', data: { orderId: command.data.orderId, requestedAt: command.metadata.now } };
  const transition = transitionFor(state.phase, fact);
  if (!transition) throw new OrderCannotBeCancelled(command.data.orderId, state.phase);
  return transition.then(fact, state);
}

/** News the table has no move for is old news: a redelivery or a late message. */
function recordReported(fact: OrderFact, state: OrderState): readonly OrderEvent[] {
  if (state.kind === 'none') return [];
  return transitionFor(state.phase, fact)?.then(fact, state) ?? [];
}

function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    if (state.kind === 'existing') return state;
    return { kind: 'existing', phase: 'PLACED', order: event.data, reasons: [], paymentVoidRequested: false };
  }
  if (state.kind === 'none') return state;
  // Facts move the phase, as the one transition table says; the other events record details.
  if (isOrderFact(event)) return { ...state, phase: transitionFor(state.phase, event)?.next ?? state.phase };
  switch (event.type) {
    case 'ReservationReleaseRequested':
      return { ...state, releaseReason: event.data.reason };
    case 'PaymentVoidRequested':
      return { ...state, paymentVoidRequested: true };
    case 'OrderRejected':
    case 'OrderCancelled':
      return { ...state, reasons: event.data.reasons };
    case 'StockReservationRequested':
    case 'PaymentAuthorizationRequested':
    case 'ReservationCommitRequested':
    case 'OrderCompleted':
      return state;
    default:
      return assertNever(event, 'order event');
  }
}

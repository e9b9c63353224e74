import { NotFoundError } from '@stockade/kernel';
import { deciderSpec } from '@stockade/kernel/testing';
import { orderDecider } from './order-decider';
import { OrderCannotBeCancelled } from './order-errors';
import type { OrderEvent } from './order-events';
import { toOrderView } from './order-view';
import { cancelled, cancelOrder, events, history, reported, voidRequested } from './testing/order-scenarios';

const spec = deciderSpec(orderDecider);

function viewAfter(...streams: (readonly OrderEvent[])[]) {
  const state = streams.flat().reduce(orderDecider.evolve, orderDecider.initialState());
  if (state.kind !== 'existing') throw new Error('no order');
  return toOrderView(state);
}

describe('an order that cannot complete', () => {
  it('given a placed order, when stock is rejected, then the order is rejected with every short line as a reason', () => {
    spec.given(history.PLACED).when(reported.stockRejected).then([events.rejected]);
    expect(viewAfter(history.REJECTED)).toMatchObject({
      status: 'REJECTED',
      reasons: ['LAMP: only 1 available, 2 requested', 'DESK: only 0 available, 1 requested'],
    });
  });

  it('given an order awaiting payment, when payment is declined, then the decline is recorded and the release is what it asks for', () => {
    spec.given(history.AWAITING_PAYMENT).when(reported.paymentDeclined).then([events.paymentDeclined]);
    spec
      .given(history.AWAITING_PAYMENT)
      .when(reported.paymentDeclined)
      .thenState((state) =>
        expect(state).toMatchObject({ phase: 'RELEASING', releaseReason: 'payment declined: insufficient-funds' }),
      );
  });

  it('given an order awaiting payment, when payment times out, then the time-out asks for the release and a void of any late approval', () => {
    spec.given(history.AWAITING_PAYMENT).when(reported.paymentTimedOut).then([events.paymentTimedOut]);
    spec
      .given(history.AWAITING_PAYMENT)
      .when(reported.paymentTimedOut)
      .thenState((state) =>
        expect(state).toMatchObject({
          phase: 'RELEASING',
          releaseReason: 'payment timed out',
          paymentVoidRequested: true,
        }),
      );
  });

  it('given a release under way, when inventory confirms it, then the order is cancelled for the release reason', () => {
    spec
      .given(history.RELEASING)
      .when(reported.released)
      .then([cancelled('payment declined: insufficient-funds')]);
    expect(viewAfter(history.CANCELLED)).toMatchObject({
      status: 'CANCELLED',
      reasons: ['payment declined: insufficient-funds'],
    });
  });

  it('given a timed-out payment being released, when inventory confirms, then the order is cancelled as timed out', () => {
    spec
      .given([...history.AWAITING_PAYMENT, events.paymentTimedOut])
      .when(reported.released)
      .then([cancelled('payment timed out')]);
  });

  it('given an order awaiting payment, when the reservation expires, then the order is cancelled at once', () => {
    spec
      .given(history.AWAITING_PAYMENT)
      .when(reported.expired)
      .then([cancelled('reservation expired')]);
  });

  it('given an order committing, when the commit is refused, then the payment is voided and the order cancelled', () => {
    spec
      .given(history.COMMITTING)
      .when(reported.commitRefused)
      .then([
        voidRequested('reservation commit refused: reservation expired'),
        cancelled('reservation commit refused: reservation expired'),
      ]);
  });
});

describe('a customer cancelling', () => {
  it('given a placed order, when the customer cancels, then the in-flight reservation is released', () => {
    spec.given(history.PLACED).when(cancelOrder).then([events.customerCancelled]);
  });

  it('given an order awaiting payment, when the customer cancels, then the reservation is released', () => {
    spec.given(history.AWAITING_PAYMENT).when(cancelOrder).then([events.customerCancelled]);
  });

  it('given a cancel in PLACED, when the in-flight reservation succeeds, then nothing happens (the release follows it)', () => {
    spec
      .given([...history.PLACED, events.customerCancelled])
      .when(reported.stockReserved)
      .thenNothingHappens();
  });

  it('given a cancel in PLACED, when the reservation is released, then the order is cancelled by the customer', () => {
    spec
      .given([...history.PLACED, events.customerCancelled])
      .when(reported.released)
      .then([cancelled('cancelled by customer')]);
  });

  it('given a cancel in PLACED, when the in-flight reservation is rejected, then the order is cancelled without waiting', () => {
    spec
      .given([...history.PLACED, events.customerCancelled])
      .when(reported.stockRejected)
      .then([cancelled('cancelled by customer')]);
  });

  it('given a release under way, when the reservation expires first, then the order is cancelled', () => {
    spec
      .given(history.RELEASING)
      .when(reported.expired)
      .then([cancelled('payment declined: insufficient-funds')]);
  });

  it('given a release under way, when the customer cancels too, then it is accepted and nothing happens', () => {
    spec.given(history.RELEASING).when(cancelOrder).thenNothingHappens();
  });

  it.each(['COMMITTING', 'COMPLETED', 'REJECTED', 'CANCELLED'] as const)(
    'given an order %s, when the customer cancels, then it is refused as a conflict',
    (phase) => {
      spec.given(history[phase]).when(cancelOrder).thenThrows(OrderCannotBeCancelled);
      expect(() =>
        orderDecider.decide(cancelOrder, history[phase].reduce(orderDecider.evolve, orderDecider.initialState())),
      ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    },
  );

  it('given no order, when the customer cancels, then it is not found', () => {
    spec.given([]).when(cancelOrder).thenThrows(NotFoundError);
  });
});

describe('a payment that lands after the order stopped', () => {
  it('given a customer cancel while payment was in flight, when payment is authorized, then it is voided', () => {
    spec
      .given([...history.AWAITING_PAYMENT, events.customerCancelled])
      .when(reported.paymentAuthorized)
      .then([voidRequested('order being cancelled')]);
  });

  it('given an order cancelled on expiry, when payment is authorized, then it is voided', () => {
    spec
      .given([...history.AWAITING_PAYMENT, cancelled('reservation expired')])
      .when(reported.paymentAuthorized)
      .then([voidRequested('order already cancelled')]);
  });

  it('given a void already requested on timeout, when payment is authorized late, then nothing happens', () => {
    spec
      .given([...history.AWAITING_PAYMENT, events.paymentTimedOut])
      .when(reported.paymentAuthorized)
      .thenNothingHappens();
  });

  it('given a late payment already voided, when it is reported again, then nothing happens', () => {
    spec
      .given([...history.AWAITING_PAYMENT, events.customerCancelled, voidRequested('order being cancelled')])
      .when(reported.paymentAuthorized)
      .thenNothingHappens();
  });
});

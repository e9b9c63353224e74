import { deciderSpec } from '@stockade/kernel/testing';
import { orderDecider } from './order-decider';
import { toOrderView } from './order-view';
import { events, history, reported } from './testing/order-scenarios';

const spec = deciderSpec(orderDecider);

describe('an order on its way to completion', () => {
  it('given a placed order, when stock is reserved, then the reservation is recorded with the amount to authorize', () => {
    spec.given(history.PLACED).when(reported.stockReserved).then([events.stockReserved]);
  });

  it('given an order awaiting payment, when payment is authorized, then the authorization is recorded (the commit is derived from it)', () => {
    spec.given(history.AWAITING_PAYMENT).when(reported.paymentAuthorized).then([events.paymentAuthorized]);
  });

  it('given an order committing, when the reservation is committed, then the order is completed, in one event', () => {
    spec.given(history.COMMITTING).when(reported.committed).then([events.completed]);
  });

  it('given each step on the way, then the public status stays PENDING until the order completes', () => {
    for (const phase of ['PLACED', 'AWAITING_PAYMENT', 'COMMITTING'] as const) {
      const state = history[phase].reduce(orderDecider.evolve, orderDecider.initialState());
      expect(state).toMatchObject({ kind: 'existing', phase });
      if (state.kind === 'existing') expect(toOrderView(state).status).toBe('PENDING');
    }
  });

  it('given a completed order, then its view is COMPLETED with the lines, total and no reasons', () => {
    const state = history.COMPLETED.reduce(orderDecider.evolve, orderDecider.initialState());
    expect(state.kind === 'existing' && toOrderView(state)).toEqual({
      orderId: 'chk-1',
      customerId: 'cust-7',
      status: 'COMPLETED',
      lines: [
        { sku: 'LAMP', quantity: 2, unitPrice: 19.99 },
        { sku: 'DESK', quantity: 1, unitPrice: 150 },
      ],
      reasons: [],
      total: 189.98,
    });
  });
});

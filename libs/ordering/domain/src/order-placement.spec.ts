import { ValidationError } from '@stockade/kernel';
import { deciderSpec } from '@stockade/kernel/testing';
import { orderDecider } from './order-decider';
import { events, placeOrder } from './testing/order-scenarios';

const spec = deciderSpec(orderDecider);

describe('placing an order', () => {
  it('given no order, when it is placed, then the order is recorded with its total (the stock request is derived from it)', () => {
    spec.given([]).when(placeOrder).then([events.placed]);
  });

  it('given the order was already placed, when the same checkout arrives again, then nothing happens', () => {
    spec.given([events.placed]).when(placeOrder).thenNothingHappens();
  });

  it('given no order, when it is placed without lines, then it is refused as invalid input', () => {
    spec
      .given([])
      .when({ ...placeOrder, data: { ...placeOrder.data, lines: [] } })
      .thenThrows(ValidationError);
  });

  it('given no payment token, when the order is placed and stock reserved, then payment is requested without one', () => {
    const { paymentToken: _omitted, ...withoutToken } = placeOrder.data;
    const placed = orderDecider.decide({ ...placeOrder, data: withoutToken }, orderDecider.initialState());
    expect(placed[0]?.data).not.toHaveProperty('paymentToken');
    spec
      .given(placed)
      .when({ type: 'StockReserved', data: { orderId: placeOrder.data.orderId, expiresAt: '2026-03-01T10:15:00.000Z' } })
      .thenState((state) => expect(state).toMatchObject({ kind: 'existing', phase: 'AWAITING_PAYMENT' }));
  });

  it('given fractional prices, when the order is placed, then the total is exact to the cent', () => {
    const cheap = orderDecider.decide(
      { ...placeOrder, data: { ...placeOrder.data, lines: [{ sku: 'PEN', quantity: 3, unitPrice: 0.1 }] } },
      orderDecider.initialState(),
    );
    expect(cheap[0]?.data).toMatchObject({ total: 0.3 });
  });
});

import { foldEvents, ValidationError } from '@stockade/kernel';
import { deciderSpec } from '@stockade/kernel/testing';
import { CheckoutIdReused } from './checkout-repeat';
import { orderDecider } from './order-decider';
import type { PlaceOrder } from './order-inputs';
import { events, history, lines, placeOrder } from './testing/order-scenarios';

const spec = deciderSpec(orderDecider);

describe('placing an order', () => {
  it('given no order, when it is placed, then the order is recorded with its total (the stock request is derived from it)', () => {
    spec.given([]).when(placeOrder).then([events.placed]);
  });

  it('given the order was already placed, when the same checkout arrives again, then nothing happens', () => {
    spec.given([events.placed]).when(placeOrder).thenNothingHappens();
  });

  it('given the order was already placed, when the same checkout is redelivered later with its lines in another order and another payment reference, then nothing happens', () => {
    const redelivered: PlaceOrder = {
      ...placeOrder,
      data: { ...placeOrder.data, lines: [...placeOrder.data.lines].reverse(), paymentRef: 'ref-other' },
      metadata: { now: '2026-03-01T11:00:00.000Z' },
    };
    spec.given([events.placed]).when(redelivered).thenNothingHappens();
  });

  it('given the order was completed, when the same checkout arrives again, then nothing happens', () => {
    spec.given(history.COMPLETED).when(placeOrder).thenNothingHappens();
  });

  it.each([
    ['another customer', { customerId: 'cust-8' }],
    ['another quantity', { lines: [{ ...lines[0], quantity: 3 }, lines[1]] }],
    ['another unit price', { lines: [{ ...lines[0], unitPrice: 0.01 }, lines[1]] }],
    ['another sku', { lines: [{ ...lines[0], sku: 'LAMP-XL' }, lines[1]] }],
    ['a line fewer', { lines: [lines[0]] }],
    ['a line more', { lines: [...lines, { sku: 'PEN', quantity: 1, unitPrice: 1 }] }],
  ] as const)(
    'given the order was already placed, when a checkout with its id but %s arrives, then it is refused as a reused checkout id (409, naming checkoutId)',
    (_what, change) => {
      const differing: PlaceOrder = { ...placeOrder, data: { ...placeOrder.data, ...change } };
      spec.given([events.placed]).when(differing).thenThrows(CheckoutIdReused);
      expect(() => orderDecider.decide(differing, foldEvents(orderDecider, [events.placed]))).toThrow(
        expect.objectContaining({
          code: 'CONFLICT',
          issues: [{ field: 'checkoutId', message: 'already used for a different checkout' }],
        }),
      );
    },
  );

  it('given no order, when it is placed without lines, then it is refused as invalid input', () => {
    spec
      .given([])
      .when({ ...placeOrder, data: { ...placeOrder.data, lines: [] } })
      .thenThrows(ValidationError);
  });

  it('given no payment reference, when the order is placed and stock reserved, then payment is requested without one', () => {
    const { paymentRef: _omitted, ...withoutRef } = placeOrder.data;
    const placed = orderDecider.decide({ ...placeOrder, data: withoutRef }, orderDecider.initialState());
    expect(placed[0]?.data).not.toHaveProperty('paymentRef');
    spec
      .given(placed)
      .when({
        type: 'StockReserved',
        data: { orderId: placeOrder.data.orderId, expiresAt: '2026-03-01T10:15:00.000Z' },
      })
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

import { orderDecider } from './order-decider';
import type { OrderEvent } from './order-events';
import { OrderState } from './order-state';
import {
  foldStoredOrderEvents,
  parseStoredType,
  StoredOrderEvent,
  storedTypeOf,
  upcastOrderEvent,
} from './order-upcasting';
import { customerId, events, history, lines, now, orderId, total } from './testing/order-scenarios';

/** Streams exactly as event model v1 (release 87d1b61) stored them: bare type names, commands beside facts. */
const v1 = (type: string, data: object = {}): StoredOrderEvent => ({ type, data: { orderId, ...data } });
const V1 = {
  placed: [
    v1('OrderPlaced', { customerId, lines, paymentToken: 'tok-ok', total, placedAt: now }),
    v1('StockReservationRequested', {
      lines: [
        { sku: 'LAMP', quantity: 2 },
        { sku: 'DESK', quantity: 1 },
      ],
    }),
  ],
  reserved: [
    v1('StockReserved', { expiresAt: '2026-03-01T10:15:00.000Z' }),
    v1('PaymentAuthorizationRequested', { amount: total, paymentToken: 'tok-ok' }),
  ],
  authorized: [v1('PaymentAuthorized'), v1('ReservationCommitRequested')],
  completed: [v1('ReservationCommitted'), v1('OrderCompleted', { customerId, lines, total })],
  rejected: [
    v1('StockReservationRejected', { shortLines: [] }),
    v1('OrderRejected', {
      customerId,
      reasons: ['LAMP: only 1 available, 2 requested', 'DESK: only 0 available, 1 requested'],
    }),
  ],
  declined: [
    v1('PaymentDeclined', { reason: 'insufficient-funds' }),
    v1('ReservationReleaseRequested', { reason: 'payment declined: insufficient-funds' }),
  ],
  timedOut: [
    v1('PaymentTimedOut'),
    v1('ReservationReleaseRequested', { reason: 'payment timed out' }),
    v1('PaymentVoidRequested', { reason: 'payment timed out' }),
  ],
  cancelledByCustomer: [
    v1('OrderCancellationRequested', { requestedAt: now }),
    v1('ReservationReleaseRequested', { reason: 'cancelled by customer' }),
  ],
};

const v2State = (stream: readonly OrderEvent[]): OrderState =>
  stream.reduce(orderDecider.evolve, orderDecider.initialState());
const v1State = (stream: readonly StoredOrderEvent[]): OrderState =>
  foldStoredOrderEvents(orderDecider.initialState(), stream);

/** A v2 stream as it was stored before ADR 0021: the order with the shopper's payment token, no reference. */
const withLegacyToken = (stream: readonly OrderEvent[]): OrderEvent[] =>
  stream.map((event) => {
    if (event.type !== 'OrderPlaced' && event.type !== 'StockReserved') return event;
    const { paymentRef: _ref, ...data } = event.data;
    return {
      ...event,
      data: event.type === 'OrderPlaced' ? { ...data, legacyPaymentToken: 'tok-ok' } : data,
    } as OrderEvent;
  });

describe('loading order streams written by event model v1', () => {
  it.each([
    ['PLACED', [...V1.placed], history.PLACED],
    ['AWAITING_PAYMENT', [...V1.placed, ...V1.reserved], history.AWAITING_PAYMENT],
    ['COMMITTING', [...V1.placed, ...V1.reserved, ...V1.authorized], history.COMMITTING],
    ['COMPLETED', [...V1.placed, ...V1.reserved, ...V1.authorized, ...V1.completed], history.COMPLETED],
    ['REJECTED', [...V1.placed, ...V1.rejected], history.REJECTED],
    ['RELEASING', [...V1.placed, ...V1.reserved, ...V1.declined], history.RELEASING],
    [
      'CANCELLED',
      [
        ...V1.placed,
        ...V1.reserved,
        ...V1.declined,
        v1('ReservationReleased', { reason: 'released' }),
        v1('OrderCancelled', { customerId, reasons: ['payment declined: insufficient-funds'] }),
      ],
      history.CANCELLED,
    ],
  ] as const)(
    'given a v1 stream in %s, when it is loaded, then the state is the one the v2 stream of that phase folds to',
    (_phase, stored, v2) => {
      expect(v1State(stored)).toEqual(v2State(withLegacyToken(v2)));
    },
  );

  it('given a v1 payment time-out, when loaded, then the release reason and the void it asked for are known', () => {
    expect(v1State([...V1.placed, ...V1.reserved, ...V1.timedOut])).toEqual(
      v2State(withLegacyToken([...history.AWAITING_PAYMENT, events.paymentTimedOut])),
    );
    expect(v1State([...V1.placed, ...V1.reserved, ...V1.timedOut])).toMatchObject({
      phase: 'RELEASING',
      releaseReason: 'payment timed out',
      paymentVoidRequested: true,
    });
  });

  it('given a v1 late payment after a customer cancel (the fact stored beside its void), when loaded, then the order is still releasing with the void recorded', () => {
    const stored = [
      ...V1.placed,
      ...V1.reserved,
      ...V1.cancelledByCustomer,
      v1('PaymentAuthorized'),
      v1('PaymentVoidRequested', { reason: 'order being cancelled' }),
    ];
    expect(v1State(stored)).toMatchObject({
      phase: 'RELEASING',
      releaseReason: 'cancelled by customer',
      paymentVoidRequested: true,
    });
  });

  it('given a v1 stock reservation, when upcast, then it carries the amount of the order it belongs to, and never its payment token', () => {
    const placed = v1State(V1.placed);
    expect(upcastOrderEvent(v1('StockReserved', { expiresAt: 'later' }), placed)).toEqual([
      { type: 'StockReserved', data: { orderId, expiresAt: 'later', amount: total } },
    ]);
  });

  it('given a stream mixing v1 and v2 (a saga in flight at the upgrade), when loaded, then it folds as one story', () => {
    const stored = [
      ...V1.placed,
      ...V1.reserved,
      { type: storedTypeOf('PaymentAuthorized'), data: { orderId } },
      { type: storedTypeOf('OrderCompleted'), data: events.completed.data },
    ];
    expect(v1State(stored)).toEqual(v2State(withLegacyToken(history.COMPLETED)));
  });

  it('given events of an unknown type or a newer version, when loaded, then they are skipped', () => {
    const placed = v2State(history.PLACED);
    expect(upcastOrderEvent({ type: 'OrderTeleported.v2', data: { orderId } }, placed)).toEqual([]);
    expect(upcastOrderEvent({ type: 'OrderCompleted.v3', data: { orderId } }, placed)).toEqual([]);
    expect(upcastOrderEvent({ type: 'OrderTeleported', data: { orderId } }, placed)).toEqual([]);
  });
});

describe('stored type names', () => {
  it('carry the schema version; a bare name is v1', () => {
    expect(storedTypeOf('OrderPlaced')).toBe('OrderPlaced.v2');
    expect(parseStoredType('OrderPlaced.v2')).toEqual(['OrderPlaced', 2]);
    expect(parseStoredType('OrderPlaced')).toEqual(['OrderPlaced', 1]);
  });

  it('given v2 events stored and read back, then they fold to the same state as the domain events', () => {
    const stored = history.CANCELLED.map((event) => ({ type: storedTypeOf(event.type), data: event.data }));
    expect(foldStoredOrderEvents(orderDecider.initialState(), stored)).toEqual(v2State([...history.CANCELLED]));
    expect(v2State([...history.CANCELLED])).toMatchObject({
      phase: 'CANCELLED',
      reasons: ['payment declined: insufficient-funds'],
    });
  });
});

describe('loading orders that stored the payment token itself (before ADR 0021)', () => {
  const legacyPlaced: StoredOrderEvent = {
    type: storedTypeOf('OrderPlaced'),
    data: { orderId, customerId, lines, paymentToken: 'tok-secret', total, placedAt: now },
  };
  const legacyReserved: StoredOrderEvent = {
    type: storedTypeOf('StockReserved'),
    data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z', amount: total, paymentToken: 'tok-secret' },
  };

  it('given a v2 OrderPlaced with a payment token, when loaded, then the order holds it only as the legacy token, with no reference', () => {
    const state = v1State([legacyPlaced]);
    expect(state).toMatchObject({ kind: 'existing', order: { legacyPaymentToken: 'tok-secret' } });
    expect(state.kind === 'existing' && state.order).not.toHaveProperty('paymentToken');
    expect(state.kind === 'existing' && state.order).not.toHaveProperty('paymentRef');
  });

  it('given a legacy order, when stock is reserved, then the StockReserved decided carries no token (the payment worker exchanges it)', () => {
    const reserved = orderDecider.decide(
      { type: 'StockReserved', data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z' } },
      v1State([legacyPlaced]),
    );
    expect(reserved).toEqual([
      { type: 'StockReserved', data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z', amount: total } },
    ]);
    expect(JSON.stringify(reserved)).not.toContain('tok-secret');
  });

  it('given a v2 StockReserved with a payment token, when upcast, then the token is dropped', () => {
    expect(upcastOrderEvent(legacyReserved, v1State([legacyPlaced]))).toEqual([
      { type: 'StockReserved', data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z', amount: total } },
    ]);
  });
});

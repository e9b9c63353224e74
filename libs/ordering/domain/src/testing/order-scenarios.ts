import type { OrderEvent, OrderFact } from '../order-events';
import type { CancelOrder, PlaceOrder, ReportedFact } from '../order-inputs';

/** Histories and inputs for the order decider's specs, named after where the saga stands. */
export const orderId = 'chk-1';
export const customerId = 'cust-7';
export const now = '2026-03-01T10:00:00.000Z';
export const lines = [
  { sku: 'LAMP', quantity: 2, unitPrice: 19.99 },
  { sku: 'DESK', quantity: 1, unitPrice: 150 },
] as const;

export const placeOrder: PlaceOrder = {
  type: 'PlaceOrder',
  data: { orderId, customerId, lines, paymentToken: 'tok-ok' },
  metadata: { now },
};
export const cancelOrder: CancelOrder = { type: 'CancelOrder', data: { orderId }, metadata: { now: '2026-03-01T10:01:00.000Z' } };

export const reported = {
  stockReserved: { type: 'StockReserved', data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z' } },
  stockRejected: {
    type: 'StockReservationRejected',
    data: {
      orderId,
      shortLines: [
        { sku: 'LAMP', requested: 2, available: 1, reason: 'LAMP: only 1 available, 2 requested' },
        { sku: 'DESK', requested: 1, available: 0, reason: 'DESK: only 0 available, 1 requested' },
      ],
    },
  },
  paymentAuthorized: { type: 'PaymentAuthorized', data: { orderId } },
  paymentDeclined: { type: 'PaymentDeclined', data: { orderId, reason: 'insufficient-funds' } },
  paymentTimedOut: { type: 'PaymentTimedOut', data: { orderId } },
  committed: { type: 'ReservationCommitted', data: { orderId } },
  commitRefused: { type: 'ReservationCommitRefused', data: { orderId, reason: 'reservation expired' } },
  released: { type: 'ReservationReleased', data: { orderId, reason: 'released on request' } },
  expired: { type: 'ReservationExpired', data: { orderId } },
} satisfies Record<string, ReportedFact>;

export const ALL_REPORTED: readonly ReportedFact[] = Object.values(reported);

const cancellationRequested: OrderFact = { type: 'OrderCancellationRequested', data: { orderId, requestedAt: cancelOrder.metadata.now } };

export const total = 189.98;

export const events = {
  placed: [
    { type: 'OrderPlaced', data: { orderId, customerId, lines, paymentToken: 'tok-ok', total, placedAt: now } },
    { type: 'StockReservationRequested', data: { orderId, lines: [{ sku: 'LAMP', quantity: 2 }, { sku: 'DESK', quantity: 1 }] } },
  ],
  paymentRequested: [reported.stockReserved, { type: 'PaymentAuthorizationRequested', data: { orderId, amount: total, paymentToken: 'tok-ok' } }],
  commitRequested: [reported.paymentAuthorized, { type: 'ReservationCommitRequested', data: { orderId } }],
  completed: [reported.committed, { type: 'OrderCompleted', data: { orderId, customerId, lines, total } }],
  rejected: [
    reported.stockRejected,
    {
      type: 'OrderRejected',
      data: { orderId, customerId, reasons: ['LAMP: only 1 available, 2 requested', 'DESK: only 0 available, 1 requested'] },
    },
  ],
  customerCancelled: [cancellationRequested, { type: 'ReservationReleaseRequested', data: { orderId, reason: 'cancelled by customer' } }],
  paymentDeclined: [
    reported.paymentDeclined,
    { type: 'ReservationReleaseRequested', data: { orderId, reason: 'payment declined: insufficient-funds' } },
  ],
  paymentTimedOut: [
    reported.paymentTimedOut,
    { type: 'ReservationReleaseRequested', data: { orderId, reason: 'payment timed out' } },
    { type: 'PaymentVoidRequested', data: { orderId, reason: 'payment timed out' } },
  ],
} satisfies Record<string, readonly OrderEvent[]>;

/** Streams as they stand in each phase. */
export const history = {
  PLACED: [...events.placed],
  AWAITING_PAYMENT: [...events.placed, ...events.paymentRequested],
  COMMITTING: [...events.placed, ...events.paymentRequested, ...events.commitRequested],
  COMPLETED: [...events.placed, ...events.paymentRequested, ...events.commitRequested, ...events.completed],
  REJECTED: [...events.placed, ...events.rejected],
  RELEASING: [...events.placed, ...events.paymentRequested, ...events.paymentDeclined],
  CANCELLED: [
    ...events.placed,
    ...events.paymentRequested,
    ...events.paymentDeclined,
    reported.released,
    { type: 'OrderCancelled', data: { orderId, customerId, reasons: ['payment declined: insufficient-funds'] } },
  ],
} satisfies Record<string, readonly OrderEvent[]>;

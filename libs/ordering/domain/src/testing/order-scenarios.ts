import type { OrderEvent } from '../order-events';
import type { CancelOrder, PlaceOrder, ReportedFact } from '../order-inputs';

/** Histories and inputs for the order decider's specs, named after where the saga stands (event model v2). */
export const orderId = 'chk-1';
export const customerId = 'cust-7';
export const now = '2026-03-01T10:00:00.000Z';
export const lines = [
  { sku: 'LAMP', quantity: 2, unitPrice: 19.99 },
  { sku: 'DESK', quantity: 1, unitPrice: 150 },
] as const;

export const placeOrder: PlaceOrder = {
  type: 'PlaceOrder',
  data: { orderId, customerId, lines, paymentRef: 'ref-ok' },
  metadata: { now },
};
export const cancelOrder: CancelOrder = {
  type: 'CancelOrder',
  data: { orderId },
  metadata: { now: '2026-03-01T10:01:00.000Z' },
};

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

export const total = 189.98;

export const cancelled = (...reasons: string[]): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId, customerId, reasons },
});
export const voidRequested = (reason: string): OrderEvent => ({
  type: 'PaymentVoidRequested',
  data: { orderId, reason },
});

/** One stored event per step: the saga's commands are derived from these, not stored. */
export const events = {
  placed: { type: 'OrderPlaced', data: { orderId, customerId, lines, paymentRef: 'ref-ok', total, placedAt: now } },
  stockReserved: {
    type: 'StockReserved',
    data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z', amount: total, paymentRef: 'ref-ok' },
  },
  paymentAuthorized: reported.paymentAuthorized,
  completed: { type: 'OrderCompleted', data: { orderId, customerId, lines, total } },
  rejected: {
    type: 'OrderRejected',
    data: {
      orderId,
      customerId,
      reasons: ['LAMP: only 1 available, 2 requested', 'DESK: only 0 available, 1 requested'],
    },
  },
  customerCancelled: { type: 'OrderCancellationRequested', data: { orderId, requestedAt: cancelOrder.metadata.now } },
  paymentDeclined: reported.paymentDeclined,
  paymentTimedOut: reported.paymentTimedOut,
} satisfies Record<string, OrderEvent>;

/** Streams as they stand in each phase. */
export const history = {
  PLACED: [events.placed],
  AWAITING_PAYMENT: [events.placed, events.stockReserved],
  COMMITTING: [events.placed, events.stockReserved, events.paymentAuthorized],
  COMPLETED: [events.placed, events.stockReserved, events.paymentAuthorized, events.completed],
  REJECTED: [events.placed, events.rejected],
  RELEASING: [events.placed, events.stockReserved, events.paymentDeclined],
  CANCELLED: [
    events.placed,
    events.stockReserved,
    events.paymentDeclined,
    cancelled('payment declined: insufficient-funds'),
  ],
} satisfies Record<string, readonly OrderEvent[]>;

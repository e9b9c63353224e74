import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { CheckoutRequest, OrderLineView } from './http';
import { Identifier, IsoTimestamp, LIMITS, PaymentRef, Quantity, Sku, StockStatus } from './primitives';

/** Default topic names; each is configurable at deployment. Keys are noted per topic. */
export const TOPICS = {
  /** key: checkoutId. Upstream checkouts (bare POST /checkouts JSON, or an envelope). */
  checkoutRequested: 'checkout.requested',
  /** key: checkoutId. Commands from the order saga to inventory. */
  inventoryCommands: 'inventory.commands',
  /** key: checkoutId. Reservation outcomes from inventory to the order saga. */
  inventoryEvents: 'inventory.events',
  /** key: sku. Stock levels after every change, for carts, dashboards and alerts. */
  stockLevels: 'inventory.stock-levels',
  /** key: sku. Low-stock alerts raised and cleared, for dashboards and purchasing. */
  inventoryAlerts: 'inventory.alerts',
  /** key: sku. Purchase orders requested at the reorder point, for a purchasing system (or the supplier simulator). */
  inventoryReorders: 'inventory.reorders',
  /** key: orderId. Internal: the order saga asks its payment worker to authorize. */
  paymentCommands: 'payment.commands',
  /** key: orderId. Order outcomes for operators, carts and the upstream of a deployment without channels; a sales channel reads its own on channelOutcomeTopic. */
  orderEvents: 'order.events',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Whether a topic is a dead-letter topic (`<topic>.dlq`): the only topics operators' dead-letter routes read and replay. */
export const isDeadLetterTopic = (topic: string): boolean => {
  const suffix = deadLetterTopic('');
  return topic.length > suffix.length && topic.endsWith(suffix);
};

/**
 * key: checkoutId. A sales channel's own checkout topic (ADR 0023), for each configured channel:
 * only the channel's principal may write it (broker ACLs), so every checkout on it is the
 * channel's, for the channel's customers (`<channel>:…`), and its order id is namespaced as over HTTP.
 */
export const channelCheckoutTopic = (channel: string): string => `${TOPICS.checkoutRequested}.${channel}`;

/**
 * key: orderId. A sales channel's own outcomes topic: the outcome of each of the channel's orders
 * (`<channel>:…`), as on order.events (same key and value, its own message id). Only the channel's
 * principal may read it (broker ACLs), so a channel that follows its outcomes on Kafka sees no other
 * channel's customers, lines or totals; order.events stays Stockade's own.
 */
export const channelOutcomeTopic = (channel: string): string => `${TOPICS.orderEvents}.${channel}`;

const ReservationLine = z.object({ sku: Sku, quantity: Quantity });
export type ReservationLine = z.infer<typeof ReservationLine>;

export const ShortLine = z.object({
  sku: Sku,
  requested: z.number().int(),
  available: z.number().int(),
  /** Human readable: "<sku>: only N available, M requested" (or "<sku>: unknown SKU"). */
  reason: z.string(),
});
export type ShortLine = z.infer<typeof ShortLine>;

/**
 * A checkout on checkout.requested: the POST /checkouts body, or, from a publisher that already
 * exchanged the shopper's payment token at the gateway (the cart service, ADR 0021), its
 * `paymentRef` instead, so the token is never written to a topic or a log.
 */
export const CheckoutRequestedData = CheckoutRequest.extend({ paymentRef: PaymentRef.optional() }).refine(
  (checkout) => checkout.paymentToken === undefined || checkout.paymentRef === undefined,
  {
    path: ['paymentRef'],
    message: 'send either paymentToken or paymentRef, not both',
  },
);
export type CheckoutRequestedData = z.infer<typeof CheckoutRequestedData>;

export const CheckoutRequestedV1 = envelopeSchema('CheckoutRequested.v1', CheckoutRequestedData);

/**
 * A checkout whose lines live on several inventory shards is reserved in parts, one per shard
 * (ADR 0020): its commands and inventory's answers name the part's shard. Absent: the whole
 * checkout, on one shard (the common case, and every message before sharding).
 */
export const ReservationShard = z
  .number()
  .int()
  .min(0)
  .max(LIMITS.maxInventoryShards - 1)
  .optional();
export const ReserveStockV1 = envelopeSchema(
  'ReserveStock.v1',
  z.object({ checkoutId: Identifier, lines: z.array(ReservationLine).min(1), shard: ReservationShard }),
);
export const ReleaseReservationV1 = envelopeSchema(
  'ReleaseReservation.v1',
  z.object({ checkoutId: Identifier, reason: z.string(), shard: ReservationShard }),
);
export const CommitReservationV1 = envelopeSchema(
  'CommitReservation.v1',
  z.object({ checkoutId: Identifier, shard: ReservationShard }),
);
/** A supplier's delivery against a purchase order (keyed by purchaseOrderId); received once per purchase order. */
export const ReceivePurchaseOrderV1 = envelopeSchema(
  'ReceivePurchaseOrder.v1',
  z.object({
    purchaseOrderId: Identifier,
    sku: Sku,
    quantity: z.number().int().positive().max(LIMITS.maxReceiptQuantity),
    supplierId: Identifier.nullable(),
  }),
);
export const InventoryCommand = z.discriminatedUnion('type', [
  ReserveStockV1,
  ReleaseReservationV1,
  CommitReservationV1,
  ReceivePurchaseOrderV1,
]);
export type InventoryCommand = z.infer<typeof InventoryCommand>;

export const StockReservedV1 = envelopeSchema(
  'StockReserved.v1',
  z.object({
    checkoutId: Identifier,
    lines: z.array(ReservationLine),
    expiresAt: IsoTimestamp,
    shard: ReservationShard,
  }),
);
export const StockReservationRejectedV1 = envelopeSchema(
  'StockReservationRejected.v1',
  z.object({ checkoutId: Identifier, shortLines: z.array(ShortLine).min(1), shard: ReservationShard }),
);
export const ReservationReleasedV1 = envelopeSchema(
  'ReservationReleased.v1',
  z.object({ checkoutId: Identifier, reason: z.string(), shard: ReservationShard }),
);
export const ReservationExpiredV1 = envelopeSchema(
  'ReservationExpired.v1',
  z.object({ checkoutId: Identifier, shard: ReservationShard }),
);
export const ReservationCommittedV1 = envelopeSchema(
  'ReservationCommitted.v1',
  z.object({ checkoutId: Identifier, shard: ReservationShard }),
);
export const ReservationCommitRefusedV1 = envelopeSchema(
  'ReservationCommitRefused.v1',
  z.object({ checkoutId: Identifier, reason: z.string(), shard: ReservationShard }),
);
export const InventoryEvent = z.discriminatedUnion('type', [
  StockReservedV1,
  StockReservationRejectedV1,
  ReservationReleasedV1,
  ReservationExpiredV1,
  ReservationCommittedV1,
  ReservationCommitRefusedV1,
]);
export type InventoryEvent = z.infer<typeof InventoryEvent>;

export const StockLevelChangedV1 = envelopeSchema(
  'StockLevelChanged.v1',
  z.object({
    sku: Sku,
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    status: StockStatus,
    /** The SKU's listing, once an operator has listed it (ADR 0022); absent before, and in messages of earlier releases. */
    name: z.string().min(1).optional(),
    unitPrice: z.number().positive().optional(),
  }),
);
export type StockLevelChanged = z.infer<typeof StockLevelChangedV1>;

export const LowStockAlertRaisedV1 = envelopeSchema(
  'LowStockAlertRaised.v1',
  z.object({ sku: Sku, available: z.number().int(), threshold: z.number().int().nonnegative() }),
);
/** `threshold` is null when the alert cleared because the operator switched it off. */
export const LowStockAlertClearedV1 = envelopeSchema(
  'LowStockAlertCleared.v1',
  z.object({ sku: Sku, available: z.number().int(), threshold: z.number().int().nonnegative().nullable() }),
);
export const InventoryAlert = z.discriminatedUnion('type', [LowStockAlertRaisedV1, LowStockAlertClearedV1]);
export type InventoryAlert = z.infer<typeof InventoryAlert>;

/** A purchase order: deliver `quantity` of `sku`, then send ReceivePurchaseOrder.v1 with its id. */
export const ReorderRequestedV1 = envelopeSchema(
  'ReorderRequested.v1',
  z.object({
    purchaseOrderId: Identifier,
    sku: Sku,
    quantity: z.number().int().positive(),
    supplierId: Identifier.nullable(),
    available: z.number().int(),
    reorderPoint: z.number().int().nonnegative(),
  }),
);
export type ReorderRequested = z.infer<typeof ReorderRequestedV1>;

export const OrderCompletedV1 = envelopeSchema(
  'OrderCompleted.v1',
  z.object({ orderId: Identifier, customerId: Identifier, lines: z.array(OrderLineView), total: z.number() }),
);
export const OrderRejectedV1 = envelopeSchema(
  'OrderRejected.v1',
  z.object({ orderId: Identifier, customerId: Identifier, reasons: z.array(z.string()).min(1) }),
);
export const OrderCancelledV1 = envelopeSchema(
  'OrderCancelled.v1',
  z.object({ orderId: Identifier, customerId: Identifier, reasons: z.array(z.string()).min(1) }),
);
export const OrderOutcome = z.discriminatedUnion('type', [OrderCompletedV1, OrderRejectedV1, OrderCancelledV1]);
export type OrderOutcome = z.infer<typeof OrderOutcome>;

export const AuthorizePaymentV1 = envelopeSchema(
  'AuthorizePayment.v1',
  z.object({
    orderId: Identifier,
    amount: z.number().nonnegative(),
    /** The gateway's reference for the shopper's payment (ADR 0021). */
    paymentRef: PaymentRef.optional(),
    /** Only in messages written before ADR 0021: still read (the worker exchanges it for a reference), never sent. */
    paymentToken: z.string().optional(),
  }),
);
export type AuthorizePayment = z.infer<typeof AuthorizePaymentV1>;

/** The saga asks its payment worker to give an authorization back (commit refused, or a late approval). */
export const VoidPaymentV1 = envelopeSchema('VoidPayment.v1', z.object({ orderId: Identifier, reason: z.string() }));
export type VoidPayment = z.infer<typeof VoidPaymentV1>;

/** What arrives on TOPICS.paymentCommands. */
export const PaymentCommand = z.discriminatedUnion('type', [AuthorizePaymentV1, VoidPaymentV1]);
export type PaymentCommand = z.infer<typeof PaymentCommand>;

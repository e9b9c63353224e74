import { z } from 'zod';
import { Identifier, LIMITS, Money, Quantity, Sku, StockStatus, OrderStatus } from './primitives';

/** Bodies of the public HTTP API (docs/openapi.json is generated from these). */
export const CheckoutLine = z.strictObject({ sku: Sku, quantity: Quantity, unitPrice: Money });
export type CheckoutLine = z.infer<typeof CheckoutLine>;

export const CheckoutRequest = z.strictObject({
  checkoutId: Identifier,
  customerId: Identifier,
  lines: z
    .array(CheckoutLine)
    .min(1, 'must have at least one line')
    .max(LIMITS.maxLinesPerCheckout, `must have at most ${LIMITS.maxLinesPerCheckout} lines`)
    .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, 'must not repeat a sku'),
  paymentToken: z.string().min(1).max(256).optional(),
});
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const CheckoutAccepted = z.object({ orderId: Identifier });
export type CheckoutAccepted = z.infer<typeof CheckoutAccepted>;

/** One checkout of a batch POST /checkouts, answered on its own: 202 with the order id, or the error body a single checkout would get. */
export const CheckoutBatchItemResult = z.object({
  index: z.number().int().min(0).describe('position in the request (0-based; the line for NDJSON)'),
  status: z.number().int().describe('202, or the status the same checkout alone would get (400, 503, …)'),
  orderId: Identifier.optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type CheckoutBatchItemResult = z.infer<typeof CheckoutBatchItemResult>;

export const CheckoutBatchResponse = z.object({
  accepted: z.number().int().min(0),
  refused: z.number().int().min(0),
  results: z.array(CheckoutBatchItemResult),
});
export type CheckoutBatchResponse = z.infer<typeof CheckoutBatchResponse>;

export const StockReceiptRequest = z.strictObject({
  quantity: z.number().int('must be a whole number').positive('must be at least 1').max(LIMITS.maxReceiptQuantity),
  /** The purchase order these goods answer (it closes); a second receipt for it changes nothing. */
  purchaseOrderId: Identifier.optional(),
});
export type StockReceiptRequest = z.infer<typeof StockReceiptRequest>;

export const StockAdjustmentRequest = z.strictObject({
  delta: z.number().int('must be a whole number').refine((d) => d !== 0, 'must not be zero'),
  reason: z.string().min(1, 'must not be empty').max(200),
});
export type StockAdjustmentRequest = z.infer<typeof StockAdjustmentRequest>;

const WholeAtLeast = (least: number) => z.number('must be a number').int('must be a whole number').min(least, `must be at least ${least}`).max(LIMITS.maxReceiptQuantity);

/**
 * `PUT /inventory/{sku}/settings` (operator): when to warn and when to reorder. Null switches
 * the alert or the reorder policy off; a reorder policy needs both its point and its quantity.
 */
export const StockSettingsRequest = z.strictObject({
  lowStockThreshold: WholeAtLeast(0).nullable(),
  /** The alert clears above threshold + hysteresis; default a fifth of the threshold, at least 1. */
  alertHysteresis: WholeAtLeast(0).optional(),
  reorderPoint: WholeAtLeast(0).nullable(),
  reorderQuantity: WholeAtLeast(1).nullable(),
  supplierId: Identifier.nullable().optional(),
});
export type StockSettingsRequest = z.infer<typeof StockSettingsRequest>;

const SkuList = z
  .string()
  .transform((list) => list.split(',').map((sku) => sku.trim()).filter(Boolean))
  .pipe(z.array(Sku).min(1, 'must name at least one SKU').max(LIMITS.maxLiveSkus, `must name at most ${LIMITS.maxLiveSkus} SKUs`));

/** `GET /inventory/stream?skus=A,B` (shoppers): the SKUs to follow, comma-separated. */
export const LiveStockQuery = z.object({ skus: SkuList });
/** `GET /ops/stock-stream` (operator): every SKU, or only `skus`. */
export const OperatorLiveStockQuery = z.object({ skus: SkuList.optional() });

/** A SKU's replenishment as the dashboard shows it: settings, alert, open purchase order. */
export const ReplenishmentView = z.object({
  sku: Sku,
  available: z.number().int(),
  status: StockStatus,
  settings: z
    .object({
      lowStockThreshold: z.number().int().nullable(),
      alertHysteresis: z.number().int(),
      reorderPoint: z.number().int().nullable(),
      reorderQuantity: z.number().int().nullable(),
      supplierId: z.string().nullable(),
    })
    .nullable(),
  lowStockAlert: z.boolean(),
  openPurchaseOrder: z.object({ purchaseOrderId: Identifier, quantity: z.number().int() }).nullable(),
});
export type ReplenishmentView = z.infer<typeof ReplenishmentView>;

/** `GET /inventory/replenishment` (operator): every SKU with settings, a raised alert or an open purchase order, in SKU order. */
export const ReplenishmentList = z.object({ items: z.array(ReplenishmentView) });
export type ReplenishmentList = z.infer<typeof ReplenishmentList>;

export const InventoryView = z.object({
  sku: Sku,
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  status: StockStatus,
});
export type InventoryView = z.infer<typeof InventoryView>;

/**
 * `GET /inventory` (operator): SKUs in SKU order, a page at a time, optionally only some
 * statuses, e.g. `?status=LIMITED,OUT_OF_STOCK` for what needs reordering.
 */
export const InventoryListQuery = z.object({
  status: z
    .string()
    .transform((list) => list.split(',').map((status) => status.trim()))
    .pipe(z.array(z.enum(StockStatus.options, 'must be IN_STOCK, LIMITED or OUT_OF_STOCK (comma-separated)')))
    .optional(),
  after: Sku.optional(),
  limit: z.coerce
    .number('must be a whole number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(LIMITS.maxInventoryPage, `must be at most ${LIMITS.maxInventoryPage}`)
    .default(100),
});
export type InventoryListQuery = z.infer<typeof InventoryListQuery>;

export const InventoryList = z.object({
  items: z.array(InventoryView),
  /** Pass as `after` for the next page; absent on the last page. */
  next: Sku.optional(),
});
export type InventoryList = z.infer<typeof InventoryList>;

export const OrderView = z.object({
  orderId: Identifier,
  customerId: Identifier,
  status: OrderStatus,
  lines: z.array(CheckoutLine),
  reasons: z.array(z.string()),
  total: Money,
});
export type OrderView = z.infer<typeof OrderView>;

export const CreateCartRequest = z.strictObject({ customerId: Identifier.optional(), cartId: Identifier.optional() });
export type CreateCartRequest = z.infer<typeof CreateCartRequest>;

export const SetCartItemRequest = z.strictObject({ quantity: Quantity, unitPrice: Money.optional() });
export type SetCartItemRequest = z.infer<typeof SetCartItemRequest>;

export const CartCheckoutRequest = z.strictObject({ paymentToken: z.string().min(1).max(256).optional() });
export type CartCheckoutRequest = z.infer<typeof CartCheckoutRequest>;

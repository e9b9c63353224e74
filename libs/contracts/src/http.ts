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
});
export type StockReceiptRequest = z.infer<typeof StockReceiptRequest>;

export const StockAdjustmentRequest = z.strictObject({
  delta: z.number().int('must be a whole number').refine((d) => d !== 0, 'must not be zero'),
  reason: z.string().min(1, 'must not be empty').max(200),
});
export type StockAdjustmentRequest = z.infer<typeof StockAdjustmentRequest>;

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

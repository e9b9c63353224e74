import { z } from 'zod';
import { MONEY_RULE, totalInMinorUnits } from './money';
import { Amount, Identifier, LIMITS, Money, Quantity, Sku, StockStatus, OrderStatus } from './primitives';

/**
 * Bodies of the public HTTP API (docs/openapi.json is generated from these). A checkout line
 * carries its price (upstream checkouts come from trusted services with prices of their own),
 * held to the money rule: a line without one, or of 0, is refused naming `lines.<i>.unitPrice`.
 */
export const CheckoutLine = z.strictObject({ sku: Sku, quantity: Quantity, unitPrice: Money });
export type CheckoutLine = z.infer<typeof CheckoutLine>;

/** A line of an order as stored and reported: its price is not checked again (see Amount). */
export const OrderLineView = z.object({ sku: Sku, quantity: Quantity, unitPrice: Amount });
export type OrderLineView = z.infer<typeof OrderLineView>;

export const CheckoutRequest = z.strictObject({
  checkoutId: Identifier,
  customerId: Identifier,
  lines: z
    .array(CheckoutLine)
    .min(1, 'must have at least one line')
    .max(LIMITS.maxLinesPerCheckout, `must have at most ${LIMITS.maxLinesPerCheckout} lines`)
    .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, 'must not repeat a sku')
    .refine(
      (lines) => totalInMinorUnits(lines) <= MONEY_RULE.maxTotal * MONEY_RULE.minorUnits,
      `must total at most ${MONEY_RULE.maxTotal}`,
    ),
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
  delta: z
    .number()
    .int('must be a whole number')
    .refine((d) => d !== 0, 'must not be zero'),
  reason: z.string().min(1, 'must not be empty').max(200),
});
export type StockAdjustmentRequest = z.infer<typeof StockAdjustmentRequest>;

const WholeAtLeast = (least: number) =>
  z
    .number('must be a number')
    .int('must be a whole number')
    .min(least, `must be at least ${least}`)
    .max(LIMITS.maxReceiptQuantity);

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
  .transform((list) =>
    list
      .split(',')
      .map((sku) => sku.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(Sku)
      .min(1, 'must name at least one SKU')
      .max(LIMITS.maxLiveSkus, `must name at most ${LIMITS.maxLiveSkus} SKUs`),
  );

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

/** A SKU's levels, and its listing (name and price) once an operator has listed it. */
export const InventoryView = z.object({
  sku: Sku,
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  status: StockStatus,
  name: z.string().optional(),
  unitPrice: z.number().optional(),
});
export type InventoryView = z.infer<typeof InventoryView>;

/** What a product is called in the catalog: printable text, no control characters. */
export const ProductName = z
  .string('must be text')
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** `PUT /catalog/{sku}` (operator): what the SKU is sold as. Carts are priced from it; a repeat of the same listing changes nothing. */
export const ListingRequest = z.strictObject({ name: ProductName, unitPrice: Money });
export type ListingRequest = z.infer<typeof ListingRequest>;

/** `GET /catalog`: listed SKUs in SKU order, a page at a time, like `GET /inventory`. */
export const CatalogQuery = z.object({
  after: Sku.optional(),
  limit: z.coerce
    .number('must be a whole number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(LIMITS.maxInventoryPage, `must be at most ${LIMITS.maxInventoryPage}`)
    .default(100),
});
export type CatalogQuery = z.infer<typeof CatalogQuery>;

export const CatalogItem = z.object({
  sku: Sku,
  name: z.string(),
  unitPrice: z.number(),
  available: z.number().int(),
  status: StockStatus,
});
export type CatalogItem = z.infer<typeof CatalogItem>;

export const CatalogList = z.object({
  items: z.array(CatalogItem),
  /** Pass as `after` for the next page; absent on the last page. */
  next: Sku.optional(),
});
export type CatalogList = z.infer<typeof CatalogList>;

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
  lines: z.array(OrderLineView),
  reasons: z.array(z.string()),
  total: Amount,
});
export type OrderView = z.infer<typeof OrderView>;

export const CreateCartRequest = z.strictObject({ customerId: Identifier.optional(), cartId: Identifier.optional() });
export type CreateCartRequest = z.infer<typeof CreateCartRequest>;

/** A shopper sets how many; the price is the catalog's, so a `unitPrice` is refused naming it. */
export const SetCartItemRequest = z.strictObject({
  quantity: Quantity,
  unitPrice: z
    .never({ error: 'is not accepted: prices come from the catalog' })
    .optional()
    .meta({ description: 'Not accepted: prices come from the catalog' }),
});
export type SetCartItemRequest = z.infer<typeof SetCartItemRequest>;

export const CartCheckoutRequest = z.strictObject({ paymentToken: z.string().min(1).max(256).optional() });
export type CartCheckoutRequest = z.infer<typeof CartCheckoutRequest>;

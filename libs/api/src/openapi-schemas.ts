import { z } from 'zod';
import {
  CartCheckoutRequest,
  CatalogList,
  CheckoutAccepted,
  CheckoutBatchResponse,
  CheckoutRequest,
  CheckRequest,
  CreateCartRequest,
  DeadLetterBulkReplayRequest,
  DeadLetterReplayRequest,
  InventoryList,
  InventoryView,
  ListingRequest,
  OrderView,
  ReplenishmentList,
  SetCartItemRequest,
  StockAdjustmentRequest,
  StockReceiptRequest,
  StockSettingsRequest,
} from '@stockade/contracts';

/**
 * The answers that have no zod schema of their own: a cart is a TypeScript view of the cart
 * service (no request carries one, so nothing validates it), and the error body is what
 * error-responses.ts writes. Described here once, for the document only.
 */
const CartLineView = z.object({
  sku: z.string(),
  quantity: z.number(),
  name: z.string().optional().describe("the catalog's name"),
  unitPrice: z.number().optional().describe("the catalog's price now (absent when the SKU is no longer offered)"),
  lineTotal: z.number().optional().describe('quantity × unitPrice, summed in minor units'),
  available: z.number(),
  badge: z.enum(['IN_STOCK', 'LIMITED', 'OUT_OF_STOCK']),
});
const CartView = z.object({
  cartId: z.string(),
  customerId: z.string(),
  status: z.enum(['OPEN', 'CHECKING_OUT', 'COMPLETED']),
  lines: z.array(CartLineView),
  total: z.number(),
  checkoutAttempts: z.number(),
  lastCheckout: z.object({ orderId: z.string(), status: z.string(), reasons: z.array(z.string()) }).optional(),
  updatedAt: z.string(),
});
const ErrorBody = z.object({
  error: z
    .string()
    .describe(
      'the code: VALIDATION_FAILED, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, RATE_LIMITED, UNAVAILABLE…',
    ),
  message: z.string(),
  issues: z
    .array(
      z.object({
        field: z.string().describe('the field, query or path parameter at fault; (body) for a body that is not JSON'),
        message: z.string(),
      }),
    )
    .optional(),
});

/** The component schemas of the OpenAPI document, by name: the zod schemas that validate the requests, and the views above. */
export const API_SCHEMAS = {
  CheckoutRequest,
  CheckoutAccepted,
  CheckoutBatchResponse,
  OrderView,
  InventoryView,
  InventoryList,
  ListingRequest,
  CatalogList,
  StockReceiptRequest,
  StockAdjustmentRequest,
  StockSettingsRequest,
  ReplenishmentList,
  CreateCartRequest,
  SetCartItemRequest,
  CartCheckoutRequest,
  CartView,
  ErrorBody,
  CheckRequest,
  DeadLetterReplayRequest,
  DeadLetterBulkReplayRequest,
} as const;
export type ApiSchemaName = keyof typeof API_SCHEMAS;

export const schemaRef = (name: ApiSchemaName) => ({ $ref: `#/components/schemas/${name}` });

/** A zod schema as OpenAPI 3.1 (JSON Schema 2020-12) describes it: what a request may send, its input side. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

export const componentSchemas = (): Record<string, Record<string, unknown>> =>
  Object.fromEntries(Object.entries(API_SCHEMAS).map(([name, schema]) => [name, jsonSchemaOf(schema)]));

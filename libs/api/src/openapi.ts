import { z } from 'zod';
import {
  CartCheckoutRequest,
  CatalogList,
  CheckoutAccepted,
  CheckoutBatchResponse,
  CheckoutRequest,
  CreateCartRequest,
  InventoryList,
  InventoryView,
  ListingRequest,
  OrderView,
  SetCartItemRequest,
  CheckRequest,
  DeadLetterBulkReplayRequest,
  DeadLetterReplayRequest,
  StockAdjustmentRequest,
  StockReceiptRequest,
  StockSettingsRequest,
  ReplenishmentList,
} from '@stockade/contracts';

/**
 * The OpenAPI document, built from the same zod schemas that validate requests, so the
 * documentation cannot drift from what the server accepts. `npm run docs:openapi` writes it to
 * docs/openapi.json; a test fails when that file is stale.
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
const ErrorBody = z.object({ error: z.string(), message: z.string(), issues: z.array(z.object({ field: z.string(), message: z.string() })).optional() });

const schemas = {
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
};
type SchemaName = keyof typeof schemas;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => ({ description, ...json('ErrorBody') });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const operator = [{ operatorToken: [] }];
/** Once the deployment is closed (a token configured, or listening beyond loopback): the operator's or the metrics token. */
const monitoring = [{ operatorToken: [] }, { metricsToken: [] }];
/** What any route may answer before its body is read: the access gate's refusals. */
const refusals = { 401: error('Missing or wrong token for this route'), 429: error('Over the caller\'s rate limit; retry after Retry-After') };
const stateChanging = { ...refusals, 415: error('Not content-type: application/json (an empty body is fine): a state-changing request must not look like a form') };
const queryParam = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', required: false, schema, description });
/** The operator surface's answers are described in libs/operations/src/operations-contract.ts (the named interface). */
const opsAnswer = (shape: string, extra: Record<string, unknown> = {}) => ({
  description: `${shape} (libs/operations/src/operations-contract.ts)`,
  content: { 'application/json': { schema: { type: 'object', description: shape } }, ...extra },
});
const eventStream = (description: string) => ({ 'text/event-stream': { schema: { type: 'string', description } } });
const opsErrors = { 400: error('Invalid query or body, the issue names the parameter'), 401: error('Missing or wrong operator token') };

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stockade',
      version,
      description:
        "Event-sourced order processing that never oversells. The order id is the checkout id. With upstream tokens (STOCKADE_UPSTREAM_TOKENS), each sales channel has its own id namespace (ADR 0021): a channel's checkout and cart ids are stored as `<channel>:<id>` (`web`'s `chk-1` is `web:chk-1`; both names reach it), answers carry the stored id, its customers are `<channel>:…`, and another channel's orders and carts are 404 on every route. Payment tokens are exchanged for the gateway's reference before anything is stored. Every POST, PUT and DELETE sends `content-type: application/json` (POST /checkouts also `application/x-ndjson`), with a body or without one; anything else is 415. Requests are rate limited per caller (each token, or the address of a caller without one; the operator is not): past it 429 with Retry-After.",
    },
    paths: {
      '/checkouts': {
        post: {
          summary: 'Request a checkout, or a batch of them (idempotent by checkoutId within the caller’s namespace)',
          description:
            'One checkout object answers 202. A batch, as a JSON array of checkouts or as NDJSON (`application/x-ndjson`, one checkout per line, up to STOCKADE_BATCH_BODY_LIMIT_BYTES), answers 207 with each checkout answered on its own in `results` (202 with its order id, or the status and error body it would get alone); at most STOCKADE_MAX_CHECKOUTS_PER_REQUEST (default 1,000) per request.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { oneOf: [ref('CheckoutRequest'), { type: 'array', items: ref('CheckoutRequest'), minItems: 1 }] } },
              'application/x-ndjson': { schema: { type: 'string', description: 'one CheckoutRequest JSON object per line' } },
            },
          },
          responses: {
            202: { description: 'Order placed; follow it at /orders/{orderId}', ...json('CheckoutAccepted') },
            207: { description: 'A batch: each checkout answered on its own', ...json('CheckoutBatchResponse') },
            400: error('Invalid body, the issue names the field (for a batch: empty, or more checkouts than allowed; a checkoutId too long once qualified by the channel)'),
            403: error("customerId (or checkoutId) outside the caller's namespace, the issue names the field"),
            409: error('checkoutId already used for a checkout with another customer or other lines (an identical repeat is 202 with the same order)'),
            413: error('Body too large'),
            ...stateChanging,
            429: error("Over the caller's rate limit, before the body was read (a batch costs one per checkout: those past the budget are 429 inside the 207)"),
            503: error('Too many orders in flight; retry shortly (Retry-After)'),
          },
        },
      },
      '/orders/{orderId}': {
        get: { summary: 'An order and its status', parameters: [pathParam('orderId')], responses: { 200: { description: 'The order', ...json('OrderView') }, 404: error("Unknown order, or another channel's") } },
      },
      '/orders/{orderId}/cancel': {
        post: {
          summary: 'Cancel before completion (releases the reservation); no body, but content-type: application/json',
          parameters: [pathParam('orderId')],
          responses: { 202: { description: 'Cancellation under way', ...json('CheckoutAccepted') }, 404: error("Unknown order, or another channel's"), 409: error('Already completed or terminal'), ...stateChanging },
        },
      },
      '/inventory': {
        get: {
          summary: 'Every SKU, a page at a time in SKU order (operator): what is low, what is out',
          security: operator,
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { type: 'string', example: 'LIMITED,OUT_OF_STOCK' }, description: 'Only these statuses (comma-separated IN_STOCK, LIMITED, OUT_OF_STOCK)' },
            { name: 'after', in: 'query', required: false, schema: { type: 'string' }, description: "The previous page's `next`" },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { 200: { description: 'A page of levels; `next` is absent on the last page', ...json('InventoryList') }, 400: error('Invalid query, the issue names the parameter'), 401: error('Missing or wrong operator token') },
        },
      },
      '/inventory/stream': {
        get: {
          summary: 'Live stock levels of up to 100 SKUs as Server-Sent Events',
          description:
            '`level` events ({ sku, onHand, reserved, available, status, name?, unitPrice?, at? }; name and price once the SKU is listed): the current level of each SKU first, then every change. A slow client gets the latest level per SKU (older ones are coalesced away), never a growing backlog. 503 with Retry-After past STOCKADE_MAX_LIVE_STREAMS.',
          parameters: [{ name: 'skus', in: 'query', required: true, schema: { type: 'string', example: 'DESK-LAMP,DESK-CHAIR' }, description: 'Comma-separated SKUs (1 to 100)' }],
          responses: {
            200: { description: 'text/event-stream of `level` events', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            400: error('Missing or invalid skus'),
            429: error('This caller holds STOCKADE_MAX_LIVE_STREAMS_PER_CALLER streams already'),
            503: error('Too many live streams open (all but the operators\' reserve)'),
          },
        },
      },
      '/ops/stock-stream': {
        get: {
          summary: 'Live stock levels of every SKU (operator) as Server-Sent Events, like /inventory/stream',
          security: operator,
          parameters: [{ name: 'skus', in: 'query', required: false, schema: { type: 'string' }, description: 'Only these SKUs (comma-separated)' }],
          responses: { 200: { description: 'text/event-stream of `level` events', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 401: error('Missing or wrong operator token'), 503: error('Too many live streams open') },
        },
      },
      '/inventory/replenishment': {
        get: {
          summary: 'Raised low-stock alerts, open purchase orders and their settings, per SKU (operator)',
          security: operator,
          responses: { 200: { description: 'Every SKU with settings, an alert or an open purchase order', ...json('ReplenishmentList') }, 401: error('Missing or wrong operator token') },
        },
      },
      '/catalog': {
        get: {
          summary: 'The catalog: listed SKUs in SKU order with name, price and what is available, a page at a time',
          parameters: [
            { name: 'after', in: 'query', required: false, schema: { type: 'string' }, description: "The previous page's `next`" },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { 200: { description: 'A page of listed SKUs; `next` is absent on the last page', ...json('CatalogList') }, 400: error('Invalid query, the issue names the parameter') },
        },
      },
      '/catalog/{sku}': {
        put: {
          summary: "List a SKU or change its name or price (operator): carts are priced from it; the same listing again changes nothing; a SKU may be listed before its first receipt",
          security: operator,
          parameters: [pathParam('sku')],
          requestBody: { required: true, ...json('ListingRequest') },
          responses: { 200: { description: 'The SKU with its levels and listing', ...json('InventoryView') }, 400: error('Invalid listing, the issue names the field (a price of 0, of three decimals…)'), 401: error('Missing or wrong operator token') },
        },
      },
      '/inventory/{sku}': {
        get: { summary: 'Stock levels of a SKU, with its name and price once it is listed', parameters: [pathParam('sku')], responses: { 200: { description: 'Levels', ...json('InventoryView') }, 404: error('Unknown SKU') } },
      },
      '/inventory/{sku}/receipts': {
        post: { summary: 'Receive stock (operator); with purchaseOrderId, a delivery against that order (received once, a repeat changes nothing)', security: operator, parameters: [pathParam('sku')], requestBody: { required: true, ...json('StockReceiptRequest') }, responses: { 201: { description: 'New levels', ...json('InventoryView') }, 400: error('Invalid body'), 401: error('Missing or wrong operator token') } },
      },
      '/inventory/{sku}/settings': {
        put: {
          summary: 'Set the low-stock threshold and reorder policy (operator); an alert or a purchase order may follow at once',
          security: operator,
          parameters: [pathParam('sku')],
          requestBody: { required: true, ...json('StockSettingsRequest') },
          responses: { 200: { description: 'Levels', ...json('InventoryView') }, 400: error('Invalid settings, the issue names the field'), 401: error('Missing or wrong operator token'), 404: error('Unknown SKU') },
        },
      },
      '/inventory/{sku}/adjustments': {
        post: { summary: 'Adjust stock with a reason (operator)', security: operator, parameters: [pathParam('sku')], requestBody: { required: true, ...json('StockAdjustmentRequest') }, responses: { 201: { description: 'New levels', ...json('InventoryView') }, 400: error('Invalid body'), 401: error('Missing or wrong operator token'), 409: error('Would leave reserved units without stock') } },
      },
      '/carts': {
        post: {
          summary: "Create a cart (the same cartId again: that cart, for its customer); a channel's carts belong to its customers (`<channel>:guest` when none is named)",
          requestBody: { required: false, ...json('CreateCartRequest') },
          responses: { 201: { description: 'The cart', ...json('CartView') }, 403: error("customerId or cartId outside the caller's namespace"), 409: error('cartId already used for another customer') },
        },
      },
      '/carts/{cartId}': { get: { summary: 'A cart with a stock badge per line', parameters: [pathParam('cartId')], responses: { 200: { description: 'The cart', ...json('CartView') }, 404: error("Unknown cart, or another channel's") } } },
      '/carts/{cartId}/items/{sku}': {
        put: {
          summary: "Set a line quantity (refused above what is available); the price is the catalog's",
          parameters: [pathParam('cartId'), pathParam('sku')],
          requestBody: { required: true, ...json('SetCartItemRequest') },
          responses: {
            200: { description: 'The cart', ...json('CartView') },
            400: error('Invalid body; a unitPrice is refused: prices come from the catalog'),
            404: error("Unknown cart, or another channel's"),
            409: error('Only N available, the SKU is not for sale (no price in the catalog), or the cart is checking out'),
            ...stateChanging,
          },
        },
        delete: { summary: 'Remove a line; no body, but content-type: application/json', parameters: [pathParam('cartId'), pathParam('sku')], responses: { 200: { description: 'The cart', ...json('CartView') }, 404: error("Unknown cart, or another channel's"), ...stateChanging } },
      },
      '/carts/{cartId}/checkout': {
        post: {
          summary: "Check the cart out at the catalog's prices now (emits CheckoutRequested.v1 with the payment reference, never the token); the order id is `<cartId>.<n>`",
          parameters: [pathParam('cartId')],
          requestBody: { required: false, ...json('CartCheckoutRequest') },
          responses: { 202: { description: 'Order id', ...json('CheckoutAccepted') }, 400: error('Empty cart'), 404: error("Unknown cart, or another channel's"), 409: error('Already checking out, or a line is not for sale') },
        },
      },
      '/ops/orders/{orderId}': {
        get: { summary: "An order's story across the services (operator): events in causal order, phase, deadlines, why it ended", security: operator, parameters: [pathParam('orderId')], responses: { 200: opsAnswer('OrderStory'), 401: opsErrors[401], 404: error('Unknown order') } },
      },
      '/ops/stock/{sku}': {
        get: {
          summary: 'A SKU: levels, badge, live reservations with expiry, last movements (operator)',
          security: operator,
          parameters: [pathParam('sku'), queryParam('movements', 'How many of the last movements (default 20)', { type: 'integer', minimum: 0, maximum: 1000, default: 20 })],
          responses: { 200: opsAnswer('StockStory'), ...opsErrors, 404: error('Unknown SKU') },
        },
      },
      '/ops/stuck': {
        get: {
          summary: 'Orders not terminal past their deadline or older than the threshold (operator)',
          security: operator,
          parameters: [queryParam('olderThanMs', 'Threshold in milliseconds (default 30000)', { type: 'integer', minimum: 0, default: 30000 })],
          responses: { 200: opsAnswer('StuckReport'), ...opsErrors },
        },
      },
      '/ops/check': {
        post: {
          summary: 'The invariant check over the event stores, optionally appending repairs (operator)',
          description: 'JSON by default. With `Accept: text/event-stream`: `progress` events (Progress) and then one `report` event (CheckReport), or an `error` event; closing the connection stops the check.',
          security: operator,
          requestBody: { required: false, ...json('CheckRequest') },
          responses: { 200: opsAnswer('CheckReport', eventStream('progress events, then the report')), ...opsErrors },
        },
      },
      '/ops/rebuild': {
        get: { summary: 'The read models an operator can rebuild (operator)', security: operator, responses: { 200: opsAnswer('{ projections: RebuildableSummary[] }'), 401: opsErrors[401] } },
      },
      '/ops/rebuild/{projection}': {
        post: {
          summary: 'Rebuild a read model from the event store while the system serves (operator): stock-levels republishes the latest level of every SKU to inventory.stock-levels',
          description: 'JSON by default. With `Accept: text/event-stream`: `progress` events (Progress, phases `reading` and `publishing`) and then one `report` event (RebuildReport), or an `error` event; closing the connection stops the rebuild. Nothing is appended to the store.',
          security: operator,
          parameters: [pathParam('projection')],
          responses: { 200: opsAnswer('RebuildReport', eventStream('progress events, then the report')), ...opsErrors, 400: error('Unknown projection; the message lists the known ones') },
        },
      },
      '/ops/events': {
        get: {
          summary: 'The event feed of both stores (operator): a page as JSON, or live with Accept: text/event-stream',
          description: 'Live: `event` events (OperatorEvent) whose `id` is the cursor after them; send it back as Last-Event-ID to resume.',
          security: operator,
          parameters: [
            queryParam('from', 'A cursor (orders:<n>,inventory:<n>), an ISO-8601 time, or now (default: now live, the beginning as JSON)'),
            queryParam('stream', 'Only this stream'),
            queryParam('sku', 'Only events of this SKU'),
            queryParam('order', 'Only events of this order'),
            queryParam('correlation', 'Only events with this correlation id'),
            queryParam('type', 'Only these event types (comma-separated, without version suffix)'),
            queryParam('limit', 'Page size of the JSON form (default 200)', { type: 'integer', minimum: 1, maximum: 1000, default: 200 }),
          ],
          responses: { 200: opsAnswer('EventPage', eventStream('the live feed')), ...opsErrors },
        },
      },
      '/ops/dlq': {
        get: { summary: 'Dead letters with reason, origin and attempts, read without consuming them (operator)', security: operator, parameters: [queryParam('topic', 'Only this dead-letter topic (`<topic>.dlq`; any other topic is a 400)')], responses: { 200: opsAnswer('{ deadLetters: DeadLetterSummary[] }'), ...opsErrors } },
      },
      '/ops/dlq/replay': {
        post: { summary: 'Replay every dead letter not replayed yet, each recorded (operator)', security: operator, requestBody: { required: true, ...json('DeadLetterBulkReplayRequest') }, responses: { 200: opsAnswer('{ results: ReplayResult[] }'), ...opsErrors } },
      },
      '/ops/dlq/{id}': {
        get: { summary: 'One dead letter with its bytes, payment tokens and references redacted (operator); id is <dlq topic>:<partition>:<offset>', security: operator, parameters: [pathParam('id')], responses: { 200: opsAnswer('DeadLetter'), 401: opsErrors[401], 404: error('Unknown dead letter') } },
      },
      '/ops/dlq/{id}/replay': {
        post: { summary: 'Replay one dead letter to its original topic, once, recorded with who and when (operator)', security: operator, parameters: [pathParam('id')], requestBody: { required: true, ...json('DeadLetterReplayRequest') }, responses: { 200: opsAnswer('ReplayResult'), ...opsErrors, 404: error('Unknown dead letter') } },
      },
      '/health/live': { get: { summary: 'Liveness: the process answers (checks no dependency); open to anyone, never rate limited', responses: { 200: { description: 'Alive' } } } },
      '/health/ready': {
        get: {
          summary: 'Readiness: every dependency answers (event store, bus, consumers, Redis where used); the operator or metrics token once the deployment is closed',
          security: monitoring,
          responses: { 200: { description: 'Ready; each check under `info`' }, 401: error('A closed deployment, and no operator or metrics token'), 503: { description: 'Not ready; each failing check under `error` with its message' } },
        },
      },
      '/health': { get: { summary: 'Readiness (alias of /health/ready)', security: monitoring, responses: { 200: { description: 'Ready' }, 401: error('A closed deployment, and no operator or metrics token'), 503: { description: 'Not ready' } } } },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics; the operator or metrics token once the deployment is closed (a token configured, or listening beyond loopback)',
          security: monitoring,
          responses: { 200: { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } }, 401: error('A closed deployment, and no operator or metrics token') },
        },
      },
    },
    components: {
      securitySchemes: {
        operatorToken: { type: 'http', scheme: 'bearer', description: 'STOCKADE_OPERATOR_TOKEN' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'STOCKADE_METRICS_TOKEN: /metrics and /health/ready only' },
      },
      schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, jsonSchemaOf(schema)])),
    },
  };
}

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

import { z } from 'zod';
import { channelCheckoutTopic, channelOutcomeTopic, deadLetterTopic, TOPICS } from './messages';
import { MESSAGE_CATALOG } from './message-catalog';
import { CheckoutRequest } from './http';

/** The Stockade apps that send or receive on topics (a service alone, or the same module in the embedded runner). */
export type StockadeApp = 'order-service' | 'inventory-service' | 'cart-service' | 'gateway';

interface ChannelSpec {
  readonly topic: string;
  /** Which Stockade apps publish on the topic, and which consume it (producer and consumers say who else does). */
  readonly sends: readonly StockadeApp[];
  readonly receives: readonly StockadeApp[];
  readonly key: string;
  readonly description: string;
  readonly producer: string;
  readonly consumers: string;
  /** Message types from MESSAGE_CATALOG (plus the bare checkout body, which has no envelope). */
  readonly messages: readonly string[];
  /** Parts of the address in braces, one topic each (a sales channel's checkout or outcomes topic). */
  readonly parameters?: Readonly<Record<string, { readonly description: string }>>;
}

const SALES_CHANNEL_PARAMETER = {
  channel: {
    description: "the sales channel's name (lower-case letters, digits and -, starting with a letter; at most 32)",
  },
};

const CHANNELS: readonly ChannelSpec[] = [
  {
    topic: TOPICS.checkoutRequested,
    sends: ['cart-service'],
    receives: ['order-service'],
    key: 'checkoutId',
    description:
      "Checkouts from Stockade's trusted producers: the cart service, and the upstream of a deployment without sales channels. With channels, only Stockade's own principal may write it (broker ACLs); each channel publishes on its own checkout.requested.{channel}. The value is the POST /checkouts body, or a CheckoutRequested.v1 envelope (its occurredAt is informative: an order is placed at the order service's time).",
    producer: 'cart-service; upstream publishers where no channels are configured',
    consumers: 'order-service',
    messages: ['CheckoutRequestBody', 'CheckoutRequested.v1'],
  },
  {
    topic: channelCheckoutTopic('{channel}'),
    sends: [],
    receives: ['order-service'],
    key: 'checkoutId',
    description:
      "A sales channel's checkouts, one topic per configured channel (STOCKADE_UPSTREAM_TOKENS, STOCKADE_CHANNELS), which only that channel's principal may write (broker ACLs, docs/operations.md). Every checkout must be for one of the channel's customers (customerId '<channel>:…'): another's is dead-lettered with the reason. The order id is '<channel>:<checkoutId>', as for the channel's POST /checkouts. Same values as checkout.requested; admitted under the same in-flight limit (a consumer waits for room rather than refusing).",
    producer: "the channel's upstream (its own Kafka principal)",
    consumers: 'order-service',
    messages: ['CheckoutRequestBody', 'CheckoutRequested.v1'],
    parameters: SALES_CHANNEL_PARAMETER,
  },
  {
    topic: TOPICS.inventoryCommands,
    sends: ['order-service', 'inventory-service'],
    receives: ['inventory-service'],
    key: 'checkoutId',
    description: 'Commands from the order saga to inventory. Per-key order keeps a release behind its reserve.',
    producer:
      'order-service (outbox relay); the supplier simulator (in inventory-service) and purchasing systems deliver with ReceivePurchaseOrder.v1',
    consumers: 'inventory-service',
    messages: ['ReserveStock.v1', 'ReleaseReservation.v1', 'CommitReservation.v1', 'ReceivePurchaseOrder.v1'],
  },
  {
    topic: TOPICS.inventoryEvents,
    sends: ['inventory-service'],
    receives: ['order-service'],
    key: 'checkoutId',
    description: 'Reservation outcomes. A rejection lists every short line as "<sku>: only N available, M requested".',
    producer: 'inventory-service (outbox relay)',
    consumers: 'order-service',
    messages: [
      'StockReserved.v1',
      'StockReservationRejected.v1',
      'ReservationReleased.v1',
      'ReservationExpired.v1',
      'ReservationCommitted.v1',
      'ReservationCommitRefused.v1',
    ],
  },
  {
    topic: TOPICS.stockLevels,
    sends: ['inventory-service', 'gateway'],
    receives: ['cart-service', 'gateway'],
    key: 'sku',
    description: 'Stock levels after every change: live stock for carts, dashboards and low-stock alerts.',
    producer:
      'inventory-service (outbox relay); the gateway when an operator rebuilds the stock levels (POST /ops/rebuild/stock-levels)',
    consumers: 'cart-service, the gateway (live stock streams), dashboards',
    messages: ['StockLevelChanged.v1'],
  },
  {
    topic: TOPICS.inventoryAlerts,
    sends: ['inventory-service'],
    receives: [],
    key: 'sku',
    description:
      'Low-stock alerts: raised once when available falls to the SKU threshold, cleared only above threshold + hysteresis (so a SKU hovering at the line does not flap).',
    producer: 'inventory-service (outbox relay)',
    consumers: 'dashboards, purchasing systems',
    messages: ['LowStockAlertRaised.v1', 'LowStockAlertCleared.v1'],
  },
  {
    topic: TOPICS.inventoryReorders,
    sends: ['inventory-service'],
    receives: ['inventory-service'],
    key: 'sku',
    description:
      'Purchase orders requested when available reaches the reorder point and none is open. The purchase-order id is deterministic; deliver it with ReceivePurchaseOrder.v1 on inventory.commands (received once per id).',
    producer: 'inventory-service (outbox relay)',
    consumers:
      'purchasing systems, the supplier simulator (hosted by inventory-service where it is on), which delivers with ReceivePurchaseOrder.v1 on inventory.commands',
    messages: ['ReorderRequested.v1'],
  },
  {
    topic: TOPICS.paymentCommands,
    sends: ['order-service'],
    receives: ['order-service'],
    key: 'orderId',
    description:
      'Internal to order-service: the saga asks its payment worker to void, or to authorize when the payment was not decided inline (ADR 0033: the gateway failed or did not answer within STOCKADE_PAYMENT_INLINE_WAIT_MS, an order in several parts, or a reservation stored before 0033).',
    producer: 'order-service (outbox relay)',
    consumers: 'order-service payment worker',
    messages: ['AuthorizePayment.v1', 'VoidPayment.v1'],
  },
  {
    topic: TOPICS.orderEvents,
    sends: ['order-service'],
    receives: ['cart-service', 'order-service'],
    key: 'orderId',
    description:
      "Exactly one terminal outcome per order (consumers still deduplicate by messageId: delivery is at-least-once). Every channel's orders: with sales channels it is Stockade's internal topic, which only Stockade's own principal may read (broker ACLs); each channel reads its own order.events.{channel}. Without channels, the upstream's.",
    producer: 'order-service (outbox relay)',
    consumers: 'cart-service, order-service (metrics), operators; the upstream of a deployment without sales channels',
    messages: ['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1'],
  },
  {
    topic: channelOutcomeTopic('{channel}'),
    sends: ['order-service'],
    receives: [],
    key: 'orderId',
    description:
      "A sales channel's order outcomes, one topic per configured channel on Kafka (STOCKADE_UPSTREAM_TOKENS, STOCKADE_CHANNELS), which only that channel's principal may read (broker ACLs, docs/operations.md): the outcome of every order in the channel's namespace (orderId '<channel>:…'), and of no other. Each is the order.events message (same key and value) under a messageId of its own, derived from that message's, so a re-sent outcome keeps its id: deduplicate by messageId.",
    producer: 'order-service (outbox relay)',
    consumers: "the channel's upstream (its own Kafka principal and consumer group)",
    messages: ['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1'],
    parameters: SALES_CHANNEL_PARAMETER,
  },
];

/** W3C trace context on every message published with tracing on (a relay carries the context of the event it publishes). */
const TRACE_HEADERS = {
  traceparent: {
    type: 'string',
    description:
      'W3C trace context (https://www.w3.org/TR/trace-context/): 00-<trace id>-<span id>-<flags>; on checkout.requested from a publisher, joins its trace',
  },
  tracestate: { type: 'string', description: 'W3C tracestate, when the trace has one' },
};

/**
 * What the bus writes on a dead letter besides the original headers (libs/messaging DLQ_HEADERS;
 * a test in tools/docs keeps the two lists equal): where it came from and why it failed.
 */
export const DEAD_LETTER_HEADERS: Readonly<Record<string, { readonly type: 'string'; readonly description: string }>> =
  {
    'x-dlq-error': { type: 'string', description: "the handler's error message" },
    'x-dlq-error-code': {
      type: 'string',
      description: "the error's code (VALIDATION_FAILED, FORBIDDEN…), or its name",
    },
    'x-dlq-original-topic': {
      type: 'string',
      description: 'the topic the message was read from (where a replay sends it back)',
    },
    'x-dlq-original-partition': { type: 'string', description: 'its partition, in decimal' },
    'x-dlq-original-offset': { type: 'string', description: 'its offset, in decimal' },
    'x-dlq-attempts': { type: 'string', description: 'how many times the handler tried it, in decimal' },
    'x-dlq-group-id': { type: 'string', description: 'the consumer group that gave up on it' },
    'x-dlq-failed-at': { type: 'string', description: 'when, ISO-8601' },
  };

const messageHeaders = { type: 'object', properties: TRACE_HEADERS, additionalProperties: { type: 'string' } };
const deadLetterHeaders = {
  type: 'object',
  properties: { ...DEAD_LETTER_HEADERS, ...TRACE_HEADERS },
  required: Object.keys(DEAD_LETTER_HEADERS),
  additionalProperties: { type: 'string' },
};

const channelId = (topic: string) => topic.replace(/[^A-Za-z0-9]/g, '_');

/**
 * AsyncAPI 3 document for every topic and its dead-letter topic, generated from the zod schemas
 * (docs/asyncapi.json). Each operation is one Stockade app's `send` or `receive` on one topic,
 * tagged with the app, so an app's own contract is its tag's operations.
 */
export function buildAsyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const operation = (app: StockadeApp, action: 'send' | 'receive', id: string, description?: string) => {
    operations[`${app}_${action}_${id}`] = {
      action,
      channel: { $ref: `#/channels/${id}` },
      tags: [{ name: app }],
      ...(description ? { description } : {}),
    };
  };
  for (const channel of CHANNELS) {
    const id = channelId(channel.topic);
    const dlq = deadLetterTopic(channel.topic);
    const dlqId = channelId(dlq);
    channels[id] = {
      address: channel.topic,
      description: `${channel.description} Key: ${channel.key}. Producer: ${channel.producer}. Consumers: ${channel.consumers}. Unhandleable messages go to ${dlq}.`,
      messages: Object.fromEntries(
        channel.messages.map((name) => [messageId(name), { $ref: `#/components/messages/${messageId(name)}` }]),
      ),
      ...(channel.parameters ? { parameters: channel.parameters } : {}),
    };
    channels[dlqId] = {
      address: dlq,
      description: `Dead letters of ${channel.topic}: a message its consumer could not handle (invalid, refused, or failing past its retries), with the original key, value and headers and the x-dlq-* headers saying where it came from and why. Read without consuming them at GET /ops/dlq; a replay (POST /ops/dlq/{id}/replay, or apps/dlq-replay) sends it back to ${channel.topic} once.`,
      messages: Object.fromEntries(
        channel.messages.map((name) => [
          `${messageId(name)}_dead`,
          { $ref: `#/components/messages/${messageId(name)}_dead` },
        ]),
      ),
      ...(channel.parameters ? { parameters: channel.parameters } : {}),
    };
    for (const app of channel.sends) operation(app, 'send', id);
    for (const app of channel.receives) {
      operation(app, 'receive', id);
      operation(app, 'send', dlqId, `what ${app} cannot handle on ${channel.topic}`);
    }
    // The operator surface reads dead letters where Kafka holds them (the embedded runner serves the same routes).
    if (channel.receives.length > 0)
      operation('gateway', 'receive', dlqId, 'read without consuming, for GET /ops/dlq and replays');
    for (const name of channel.messages) {
      const schema = name === 'CheckoutRequestBody' ? CheckoutRequest : (MESSAGE_CATALOG[name] as z.ZodType);
      const { $schema: _ignored, ...payload } = z.toJSONSchema(schema, {
        io: 'input',
        unrepresentable: 'any',
      }) as Record<string, unknown>;
      messages[messageId(name)] = { name, contentType: 'application/json', headers: messageHeaders, payload };
      messages[`${messageId(name)}_dead`] = {
        name: `${name} (dead letter)`,
        contentType: 'application/json',
        headers: deadLetterHeaders,
        payload,
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Stockade event contracts',
      version,
      description:
        "Every value is UTF-8 JSON. Envelopes carry messageId, type (Name.vN), correlationId, causationId, occurredAt and data. With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), messages also carry the W3C trace context in the traceparent (and tracestate) headers; a traceparent on a message published to checkout.requested joins the trace of its publisher. Each operation is one Stockade app's send or receive (its tag names the app); every topic a Stockade app consumes has a dead-letter topic <topic>.dlq, which that app sends to.",
    },
    channels,
    operations,
    components: { messages },
  };
}

function messageId(name: string): string {
  return name.replace(/\./g, '_');
}

import { z } from 'zod';
import { channelCheckoutTopic, channelOutcomeTopic, deadLetterTopic, TOPICS } from './messages';
import { MESSAGE_CATALOG } from './message-catalog';
import { CheckoutRequest } from './http';

interface ChannelSpec {
  readonly topic: string;
  readonly key: string;
  readonly description: string;
  readonly producer: string;
  readonly consumers: string;
  /** Message types from MESSAGE_CATALOG (plus the bare checkout body, which has no envelope). */
  readonly messages: readonly string[];
  /** Parts of the address in braces, one topic each (a sales channel's checkout or outcomes topic). */
  readonly parameters?: Readonly<Record<string, { readonly description: string }>>;
}

const SALES_CHANNEL_PARAMETER = { channel: { description: "the sales channel's name (lower-case letters, digits and -, starting with a letter; at most 32)" } };

const CHANNELS: readonly ChannelSpec[] = [
  {
    topic: TOPICS.checkoutRequested,
    key: 'checkoutId',
    description:
      "Checkouts from Stockade's trusted producers: the cart service, and the upstream of a deployment without sales channels. With channels, only Stockade's own principal may write it (broker ACLs); each channel publishes on its own checkout.requested.{channel}. The value is the POST /checkouts body, or a CheckoutRequested.v1 envelope (its occurredAt is informative: an order is placed at the order service's time).",
    producer: 'cart-service; upstream publishers where no channels are configured',
    consumers: 'order-service',
    messages: ['CheckoutRequestBody', 'CheckoutRequested.v1'],
  },
  {
    topic: channelCheckoutTopic('{channel}'),
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
    key: 'checkoutId',
    description: 'Commands from the order saga to inventory. Per-key order keeps a release behind its reserve.',
    producer: 'order-service (outbox relay)',
    consumers: 'inventory-service',
    messages: ['ReserveStock.v1', 'ReleaseReservation.v1', 'CommitReservation.v1', 'ReceivePurchaseOrder.v1'],
  },
  {
    topic: TOPICS.inventoryEvents,
    key: 'checkoutId',
    description: 'Reservation outcomes. A rejection lists every short line as "<sku>: only N available, M requested".',
    producer: 'inventory-service (outbox relay)',
    consumers: 'order-service',
    messages: ['StockReserved.v1', 'StockReservationRejected.v1', 'ReservationReleased.v1', 'ReservationExpired.v1', 'ReservationCommitted.v1', 'ReservationCommitRefused.v1'],
  },
  {
    topic: TOPICS.stockLevels,
    key: 'sku',
    description: 'Stock levels after every change: live stock for carts, dashboards and low-stock alerts.',
    producer: 'inventory-service (outbox relay)',
    consumers: 'cart-service, dashboards',
    messages: ['StockLevelChanged.v1'],
  },
  {
    topic: TOPICS.inventoryAlerts,
    key: 'sku',
    description:
      'Low-stock alerts: raised once when available falls to the SKU threshold, cleared only above threshold + hysteresis (so a SKU hovering at the line does not flap).',
    producer: 'inventory-service (outbox relay)',
    consumers: 'dashboards, purchasing systems',
    messages: ['LowStockAlertRaised.v1', 'LowStockAlertCleared.v1'],
  },
  {
    topic: TOPICS.inventoryReorders,
    key: 'sku',
    description:
      'Purchase orders requested when available reaches the reorder point and none is open. The purchase-order id is deterministic; deliver it with ReceivePurchaseOrder.v1 on inventory.commands (received once per id).',
    producer: 'inventory-service (outbox relay)',
    consumers: 'purchasing systems, the supplier simulator',
    messages: ['ReorderRequested.v1'],
  },
  {
    topic: TOPICS.paymentCommands,
    key: 'orderId',
    description: 'Internal to order-service: the saga asks its payment worker to authorize or void.',
    producer: 'order-service (outbox relay)',
    consumers: 'order-service payment worker',
    messages: ['AuthorizePayment.v1', 'VoidPayment.v1'],
  },
  {
    topic: TOPICS.orderEvents,
    key: 'orderId',
    description:
      "Exactly one terminal outcome per order (consumers still deduplicate by messageId: delivery is at-least-once). Every channel's orders: with sales channels it is Stockade's internal topic, which only Stockade's own principal may read (broker ACLs); each channel reads its own order.events.{channel}. Without channels, the upstream's.",
    producer: 'order-service (outbox relay)',
    consumers: 'cart-service, order-service (metrics), operators; the upstream of a deployment without sales channels',
    messages: ['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1'],
  },
  {
    topic: channelOutcomeTopic('{channel}'),
    key: 'orderId',
    description:
      "A sales channel's order outcomes, one topic per configured channel on Kafka (STOCKADE_UPSTREAM_TOKENS, STOCKADE_CHANNELS), which only that channel's principal may read (broker ACLs, docs/operations.md): the outcome of every order in the channel's namespace (orderId '<channel>:…'), and of no other. Each is the order.events message (same key and value) under a messageId of its own, derived from that message's, so a re-sent outcome keeps its id: deduplicate by messageId.",
    producer: 'order-service (outbox relay)',
    consumers: "the channel's upstream (its own Kafka principal and consumer group)",
    messages: ['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1'],
    parameters: SALES_CHANNEL_PARAMETER,
  },
];

/** AsyncAPI 3 document for every topic, generated from the zod schemas (docs/asyncapi.json). */
export function buildAsyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    const id = channel.topic.replace(/[^A-Za-z0-9]/g, '_');
    channels[id] = {
      address: channel.topic,
      description: `${channel.description} Key: ${channel.key}. Producer: ${channel.producer}. Consumers: ${channel.consumers}. Unhandleable messages go to ${deadLetterTopic(channel.topic)}.`,
      messages: Object.fromEntries(channel.messages.map((name) => [messageId(name), { $ref: `#/components/messages/${messageId(name)}` }])),
      ...(channel.parameters ? { parameters: channel.parameters } : {}),
    };
    operations[`consume_${id}`] = { action: 'receive', channel: { $ref: `#/channels/${id}` } };
    for (const name of channel.messages) {
      const schema = name === 'CheckoutRequestBody' ? CheckoutRequest : (MESSAGE_CATALOG[name] as z.ZodType);
      const { $schema: _ignored, ...payload } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      messages[messageId(name)] = { name, contentType: 'application/json', payload };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Stockade event contracts', version, description: 'Every value is UTF-8 JSON. Envelopes carry messageId, type (Name.vN), correlationId, causationId, occurredAt and data. With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), messages also carry the W3C trace context in the traceparent (and tracestate) headers; a traceparent on a message published to checkout.requested joins the trace of its publisher.' },
    channels,
    operations,
    components: { messages },
  };
}

function messageId(name: string): string {
  return name.replace(/\./g, '_');
}

import type { Envelope } from '@stockade/contracts';
import { DEFAULT_LIMITED_THRESHOLD, TOPICS } from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import {
  isReplenishmentEvent,
  isReservationEvent,
  isStockEvent,
  ReplenishmentEvent,
  ReservationEvent,
  StockEvent,
} from '@stockade/inventory-domain';
import { assertNever } from '@stockade/kernel';
import type { RelayedMessage } from '@stockade/messaging';
import { toInventoryView } from './inventory-view';
import { partOfReservationKey, RESERVATION_STREAM_PREFIX, STOCK_STREAM_PREFIX } from './streams';

export interface InventoryOutboxOptions {
  readonly limitedThreshold?: number;
  readonly topics?: {
    readonly inventoryEvents?: string;
    readonly stockLevels?: string;
    readonly inventoryAlerts?: string;
    readonly inventoryReorders?: string;
  };
}

/**
 * The mapping the relay (EventLogRelay) applies to every stored event: reservation outcomes
 * go to the order saga keyed by checkout, stock levels to carts and dashboards keyed by SKU,
 * low-stock alerts and purchase orders to their own topics keyed by SKU (settings go nowhere).
 * Pure: the message id is the event id, so a re-published event is recognisably the same
 * message. Events of other streams, or of types this version does not know, map to nothing.
 */
export function createInventoryOutbox(
  options: InventoryOutboxOptions = {},
): (event: RecordedEvent) => RelayedMessage[] {
  const limitedThreshold = options.limitedThreshold ?? DEFAULT_LIMITED_THRESHOLD;
  const inventoryEvents = options.topics?.inventoryEvents ?? TOPICS.inventoryEvents;
  const stockLevels = options.topics?.stockLevels ?? TOPICS.stockLevels;
  const replenishmentTopics = {
    alerts: options.topics?.inventoryAlerts ?? TOPICS.inventoryAlerts,
    reorders: options.topics?.inventoryReorders ?? TOPICS.inventoryReorders,
  };

  return (event) => {
    if (event.stream.startsWith(RESERVATION_STREAM_PREFIX) && isReservationEvent(event)) {
      const { type, data } = integrationMessageOf(event);
      const { checkoutId } = partOfReservationKey(event.data.checkoutId);
      return [
        {
          topic: inventoryEvents,
          message: { key: checkoutId, value: envelope(event, type, data), headers: { 'message-type': type } },
        },
      ];
    }
    if (event.stream.startsWith(STOCK_STREAM_PREFIX) && isReplenishmentEvent(event))
      return replenishmentMessages(event, replenishmentTopics);
    if (event.stream.startsWith(STOCK_STREAM_PREFIX) && isStockEvent(event))
      return [stockLevelMessage(event, stockLevels, limitedThreshold)];
    return [];
  };
}

function stockLevelMessage(event: RecordedEvent & StockEvent, topic: string, limitedThreshold: number): RelayedMessage {
  const type = 'StockLevelChanged.v1';
  const data = toInventoryView(event.data.sku, event.data, limitedThreshold);
  return {
    topic,
    message: { key: event.data.sku, value: envelope(event, type, data), headers: { 'message-type': type } },
  };
}

function replenishmentMessages(
  event: RecordedEvent & ReplenishmentEvent,
  topics: { readonly alerts: string; readonly reorders: string },
): RelayedMessage[] {
  const keyed = (topic: string, type: string, data: unknown): RelayedMessage[] => [
    { topic, message: { key: event.data.sku, value: envelope(event, type, data), headers: { 'message-type': type } } },
  ];
  switch (event.type) {
    case 'StockSettingsChanged':
      return [];
    case 'LowStockAlertRaised':
      return keyed(topics.alerts, 'LowStockAlertRaised.v1', {
        sku: event.data.sku,
        available: event.data.available,
        threshold: event.data.threshold,
      });
    case 'LowStockAlertCleared':
      return keyed(topics.alerts, 'LowStockAlertCleared.v1', {
        sku: event.data.sku,
        available: event.data.available,
        threshold: event.data.threshold,
      });
    case 'ReorderRequested': {
      const { purchaseOrderId, sku, quantity, supplierId, available, reorderPoint } = event.data;
      return keyed(topics.reorders, 'ReorderRequested.v1', {
        purchaseOrderId,
        sku,
        quantity,
        supplierId,
        available,
        reorderPoint,
      });
    }
    default:
      return assertNever(event, 'replenishment event');
  }
}

export const inventoryOutbox = createInventoryOutbox();

/**
 * The stock-levels read model as `stockade rebuild stock-levels` republishes it (a
 * RebuildableProjection of @stockade/operations): the message the latest event of each stock
 * stream became, on the topic the relay publishes levels to (`stockLevelsTopic`, the broker's name
 * where the deployment renames topics).
 */
export function stockLevelsProjection(options: {
  readonly limitedThreshold: number;
  readonly stockLevelsTopic: string;
}) {
  return {
    description:
      "the latest level of every SKU on inventory.stock-levels, which the carts' availability and the stock metrics are built from",
    streamPrefix: STOCK_STREAM_PREFIX,
    topic: options.stockLevelsTopic,
    // Every stock event carries the levels after it, so the latest one says the level whatever its type.
    map: (event: RecordedEvent): RelayedMessage[] =>
      event.stream.startsWith(STOCK_STREAM_PREFIX) && isStockEvent(event)
        ? [stockLevelMessage(event, options.stockLevelsTopic, options.limitedThreshold)]
        : [],
  };
}

/** The reservation's checkout id, and its shard when it is one part of a checkout spread over shards. */
function integrationMessageOf(event: ReservationEvent): { type: string; data: unknown } {
  const { checkoutId, shard } = partOfReservationKey(event.data.checkoutId);
  const part = shard === undefined ? {} : { shard };
  switch (event.type) {
    case 'ReservationAccepted':
      return {
        type: 'StockReserved.v1',
        data: { checkoutId, lines: event.data.lines, expiresAt: event.data.expiresAt, ...part },
      };
    case 'ReservationRejected':
      return { type: 'StockReservationRejected.v1', data: { checkoutId, shortLines: event.data.shortLines, ...part } };
    case 'ReservationReleased':
      return { type: 'ReservationReleased.v1', data: { checkoutId, reason: event.data.reason, ...part } };
    case 'ReservationExpired':
      return { type: 'ReservationExpired.v1', data: { checkoutId, ...part } };
    case 'ReservationCommitted':
      return { type: 'ReservationCommitted.v1', data: { checkoutId, ...part } };
    case 'ReservationCommitRefused':
      return { type: 'ReservationCommitRefused.v1', data: { checkoutId, reason: event.data.reason, ...part } };
    default:
      return assertNever(event, 'reservation event');
  }
}

function envelope(event: RecordedEvent, type: string, data: unknown): Envelope {
  const { correlationId, causationId, occurredAt } = event.metadata;
  return { messageId: event.id, type, correlationId, causationId, occurredAt, data };
}

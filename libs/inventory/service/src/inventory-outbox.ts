import type { Envelope } from '@stockade/contracts';
import { TOPICS } from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import { DEFAULT_LIMITED_THRESHOLD, isReservationEvent, isStockEvent, ReservationEvent } from '@stockade/inventory-domain';
import { assertNever } from '@stockade/kernel';
import type { OutgoingMessage } from '@stockade/messaging';
import { toInventoryView } from './inventory-view';
import { RESERVATION_STREAM_PREFIX, STOCK_STREAM_PREFIX } from './streams';

export interface OutboxMessage {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

export interface InventoryOutboxOptions {
  readonly limitedThreshold?: number;
  readonly topics?: { readonly inventoryEvents?: string; readonly stockLevels?: string };
}

/**
 * The mapping the relay (EventLogRelay) applies to every stored event: reservation outcomes
 * go to the order saga keyed by checkout, stock levels to carts and dashboards keyed by SKU.
 * Pure: the message id is the event id, so a re-published event is recognisably the same
 * message. Events of other streams, or of types this version does not know, map to nothing.
 */
export function createInventoryOutbox(options: InventoryOutboxOptions = {}): (event: RecordedEvent) => OutboxMessage[] {
  const limitedThreshold = options.limitedThreshold ?? DEFAULT_LIMITED_THRESHOLD;
  const inventoryEvents = options.topics?.inventoryEvents ?? TOPICS.inventoryEvents;
  const stockLevels = options.topics?.stockLevels ?? TOPICS.stockLevels;

  return (event) => {
    if (event.stream.startsWith(RESERVATION_STREAM_PREFIX) && isReservationEvent(event)) {
      const { type, data } = integrationMessageOf(event);
      return [{ topic: inventoryEvents, message: { key: event.data.checkoutId, value: envelope(event, type, data), headers: { 'message-type': type } } }];
    }
    if (event.stream.startsWith(STOCK_STREAM_PREFIX) && isStockEvent(event)) {
      const type = 'StockLevelChanged.v1';
      const data = toInventoryView(event.data.sku, event.data, limitedThreshold);
      return [{ topic: stockLevels, message: { key: event.data.sku, value: envelope(event, type, data), headers: { 'message-type': type } } }];
    }
    return [];
  };
}

export const inventoryOutbox = createInventoryOutbox();

/**
 * The stock-levels read model as `stockade rebuild stock-levels` republishes it (a
 * RebuildableProjection of @stockade/operations): the message the latest event of each stock
 * stream became, on the topic the relay publishes levels to (`stockLevelsTopic`, the broker's name
 * where the deployment renames topics).
 */
export function stockLevelsProjection(options: { readonly limitedThreshold: number; readonly stockLevelsTopic: string }) {
  return {
    description: "the latest level of every SKU on inventory.stock-levels, which the carts' availability and the stock metrics are built from",
    streamPrefix: STOCK_STREAM_PREFIX,
    topic: options.stockLevelsTopic,
    map: createInventoryOutbox({ limitedThreshold: options.limitedThreshold, topics: { stockLevels: options.stockLevelsTopic } }),
  };
}

function integrationMessageOf(event: ReservationEvent): { type: string; data: unknown } {
  switch (event.type) {
    case 'ReservationAccepted':
      return { type: 'StockReserved.v1', data: { checkoutId: event.data.checkoutId, lines: event.data.lines, expiresAt: event.data.expiresAt } };
    case 'ReservationRejected':
      return { type: 'StockReservationRejected.v1', data: { checkoutId: event.data.checkoutId, shortLines: event.data.shortLines } };
    case 'ReservationReleased':
      return { type: 'ReservationReleased.v1', data: { checkoutId: event.data.checkoutId, reason: event.data.reason } };
    case 'ReservationExpired':
      return { type: 'ReservationExpired.v1', data: { checkoutId: event.data.checkoutId } };
    case 'ReservationCommitted':
      return { type: 'ReservationCommitted.v1', data: { checkoutId: event.data.checkoutId } };
    case 'ReservationCommitRefused':
      return { type: 'ReservationCommitRefused.v1', data: { checkoutId: event.data.checkoutId, reason: event.data.reason } };
    default:
      return assertNever(event, 'reservation event');
  }
}

function envelope(event: RecordedEvent, type: string, data: unknown): Envelope {
  const { correlationId, causationId, occurredAt } = event.metadata;
  return { messageId: event.id, type, correlationId, causationId, occurredAt, data };
}

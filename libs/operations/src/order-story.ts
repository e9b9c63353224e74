import type { EventStore, RecordedEvent } from '@stockade/event-store';
import { reservationKey, reservationStream, stockStream } from '@stockade/inventory-service';
import {
  ExistingOrder,
  foldStoredOrderEvents,
  isInParts,
  NO_ORDER,
  OrderPhase,
  orderStreamName,
  parseStoredType,
} from '@stockade/ordering-domain';
import { describeEvent } from './describe-event';
import type { OperatorEvent, OrderOutcomeName, OrderStory } from './operations-contract';

export interface StoryStores {
  readonly orders: EventStore;
  readonly inventory: EventStore;
}

const TERMINAL: Readonly<Partial<Record<OrderPhase, OrderOutcomeName>>> = {
  COMPLETED: 'completed',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
};

/**
 * A checkout's stock events are appended in the same transaction as its reservation event, but a
 * group commit merges many checkouts into one append, so they are near it in the log, not next
 * to it. Looking this far either side, only in the streams of the order's SKUs, finds them
 * without scanning a SKU's whole history.
 */
const STOCK_EVENT_WINDOW = 5_000;

/** The order's story: its stream, its reservation stream, and the stock events of its checkout. */
export async function orderStory(
  stores: StoryStores,
  orderId: string,
  paymentTimeoutMs: number,
): Promise<OrderStory | undefined> {
  const orderEvents = await stores.orders.readStream(orderStreamName(orderId));
  if (orderEvents.length === 0) return undefined;
  const state = foldStoredOrderEvents(NO_ORDER, orderEvents);
  if (state.kind !== 'existing') return undefined;
  // An order in parts (ADR 0020) has a reservation per part, `<orderId>#<shard>`; otherwise one, `<orderId>`.
  const keys = isInParts(state.order)
    ? (state.order.parts ?? []).map((part) => reservationKey(orderId, part.shard))
    : [orderId];
  const reservationEvents: RecordedEvent[] = [];
  const stockEvents: RecordedEvent[] = [];
  for (const key of keys) {
    const ofPart = await stores.inventory.readStream(reservationStream(key));
    reservationEvents.push(...ofPart);
    stockEvents.push(...(await stockEventsOfCheckout(stores.inventory, key, ofPart, state)));
  }
  const events = causalOrder(
    [
      ...orderEvents.map((event) => describeEvent(event, 'orders')),
      ...[...reservationEvents, ...stockEvents].map((event) => describeEvent(event, 'inventory')),
    ],
    [...orderEvents, ...reservationEvents, ...stockEvents],
  );
  const outcome = TERMINAL[state.phase];
  const ended = outcome ? orderEvents.at(-1) : undefined;
  return {
    orderId,
    checkoutId: orderId,
    customerId: state.order.customerId,
    phase: state.phase.toLowerCase().replace('_', ' '),
    terminal: outcome !== undefined,
    ...(outcome ? { outcome } : {}),
    ...(outcome && outcome !== 'completed' ? { why: whyItEnded(state) } : {}),
    placedAt: state.order.placedAt,
    ...(ended ? { endedAt: ended.recordedAt } : {}),
    deadlines: deadlinesOf(state, orderEvents, paymentTimeoutMs),
    events,
  };
}

function whyItEnded(state: ExistingOrder): string {
  return state.reasons.length > 0 ? state.reasons.join('; ') : (state.releaseReason ?? 'no reason was recorded');
}

/** The deadlines that still apply: the payment answer while it is awaited, the reservation's expiry while stock is held. */
export function deadlinesOf(
  state: ExistingOrder,
  orderEvents: readonly RecordedEvent[],
  paymentTimeoutMs: number,
): OrderStory['deadlines'] {
  const reserved = [...orderEvents]
    .reverse()
    .find(
      (event) =>
        parseStoredType(event.type)[0] === 'StockReserved' ||
        parseStoredType(event.type)[0] === 'StockReservationConfirmed',
    );
  const expiresAt = (reserved?.data as { expiresAt?: string } | undefined)?.expiresAt;
  const holding = state.phase === 'AWAITING_PAYMENT' || state.phase === 'COMMITTING';
  return {
    ...(state.phase === 'AWAITING_PAYMENT' && reserved
      ? { paymentTimeoutAt: new Date(Date.parse(reserved.recordedAt) + paymentTimeoutMs).toISOString() }
      : {}),
    ...(holding && expiresAt ? { reservationExpiresAt: expiresAt } : {}),
  };
}

async function stockEventsOfCheckout(
  inventory: EventStore,
  checkoutId: string,
  reservationEvents: readonly RecordedEvent[],
  state: ExistingOrder,
): Promise<RecordedEvent[]> {
  if (reservationEvents.length === 0) return [];
  const streams = new Set(state.order.lines.map((line) => stockStream(line.sku)));
  const found = new Map<string, RecordedEvent>();
  for (const reservationEvent of reservationEvents) {
    const page = await inventory.readAll({
      after: Math.max(0, reservationEvent.position - STOCK_EVENT_WINDOW),
      limit: 2 * STOCK_EVENT_WINDOW,
      streamPrefixes: [...streams],
    });
    for (const event of page) {
      if (streams.has(event.stream) && (event.data as { checkoutId?: unknown }).checkoutId === checkoutId)
        found.set(event.id, event);
    }
  }
  return [...found.values()];
}

/**
 * By time, and a cause always before its effects: a message's id is the id of the event it was
 * derived from, and the events it caused name it as their causation, so across the two stores
 * (whose clocks tick in milliseconds) an effect recorded in the same millisecond still follows.
 */
function causalOrder(events: readonly OperatorEvent[], recorded: readonly RecordedEvent[]): OperatorEvent[] {
  const idOf = new Map(events.map((event, index) => [event, (recorded[index] as RecordedEvent).id]));
  const sorted = [...events].sort(
    (a, b) => a.recordedAt.localeCompare(b.recordedAt) || (a.source === b.source ? a.position - b.position : 0),
  );
  const placed: OperatorEvent[] = [];
  const placedIds = new Set<string>();
  const waiting = new Map<string, OperatorEvent[]>();
  const ids = new Set(idOf.values());
  const place = (event: OperatorEvent) => {
    placed.push(event);
    const id = idOf.get(event) as string;
    placedIds.add(id);
    const effects = waiting.get(id) ?? [];
    waiting.delete(id);
    effects.forEach(place);
  };
  for (const event of sorted) {
    const cause = event.causationId;
    if (cause !== idOf.get(event) && ids.has(cause) && !placedIds.has(cause)) {
      waiting.set(cause, [...(waiting.get(cause) ?? []), event]);
      continue;
    }
    place(event);
  }
  // Causes never found in this story (or a cycle from bad data): keep their effects anyway.
  for (const effects of waiting.values()) placed.push(...effects);
  return placed;
}

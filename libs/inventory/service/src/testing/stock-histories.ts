import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@stockade/event-store';
import {
  availableOf,
  decideStock,
  evolveStock,
  initialStockState,
  StockCommand,
  StockEvent,
  StockState,
} from '@stockade/inventory-domain';

export { seededRandom } from '@stockade/kernel';

/**
 * `count` stock events of one SKU that the domain itself decided, from a random mix of receipts,
 * adjustments, listings, reservations, releases and commits: a history the fold must accept.
 */
export function randomStockHistory(sku: string, count: number, random: () => number): StockEvent[] {
  const events: StockEvent[] = [];
  let state = initialStockState();
  let checkouts = 0;
  while (events.length < count) {
    const [event] = decideStock(
      nextCommand(sku, state, random, () => `checkout-${(checkouts += 1)}`),
      state,
    );
    if (!event) continue;
    events.push(event);
    state = evolveStock(state, event);
  }
  return events;
}

function nextCommand(sku: string, state: StockState, random: () => number, newCheckout: () => string): StockCommand {
  const holds = Object.keys(state.reservations);
  const held = holds[Math.floor(random() * holds.length)];
  const roll = random();
  if (!state.exists || availableOf(state) < 3 || roll < 0.1)
    return { type: 'ReceiveStock', data: { sku, quantity: 1 + Math.floor(random() * 20) } };
  if (roll < 0.15) return { type: 'AdjustStock', data: { sku, delta: -1, reason: 'damaged' } };
  if (roll < 0.17)
    return {
      type: 'SetListing',
      data: { sku, name: `${sku} (lot ${Math.floor(random() * 3)})`, unitPrice: 1 + Math.floor(random() * 5) },
    };
  if (held === undefined || roll < 0.6)
    return {
      type: 'ReserveUnits',
      data: {
        sku,
        checkoutId: newCheckout(),
        quantity: 1 + Math.floor(random() * 3),
        expiresAt: '2026-03-01T10:15:00.000Z',
      },
    };
  return roll < 0.8
    ? { type: 'CommitUnits', data: { sku, checkoutId: held } }
    : { type: 'ReleaseUnits', data: { sku, checkoutId: held, reason: 'released' } };
}

/** Appends domain events as the writer stores them (ids, metadata); returns the stored events' ids. */
export async function appendStockEvents(
  store: EventStore,
  stream: string,
  events: readonly StockEvent[],
): Promise<string[]> {
  const stored: NewEvent[] = events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: 'test',
      causationId: 'test',
      occurredAt: '2026-03-01T10:00:00.000Z',
      commandId: randomUUID(),
    },
  }));
  if (stored.length > 0) await store.appendToStream(stream, stored, { expectedVersion: 'any' });
  return stored.map((event) => event.id);
}

/** Counts the events a store hands out through readStream (what a cold load costs). */
export function countStreamReads(store: EventStore): { eventsRead: () => number } {
  let read = 0;
  const readStream = store.readStream.bind(store);
  jest.spyOn(store, 'readStream').mockImplementation(async (stream, options) => {
    const events = await readStream(stream, options);
    read += events.length;
    return events;
  });
  return { eventsRead: () => read };
}

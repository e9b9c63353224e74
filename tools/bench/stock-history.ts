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
import { createInventoryCaches, stockStream } from '@stockade/inventory-service';
import { pickInt } from '../client/seeded-random';

export interface StockHistoryOptions {
  readonly events: number;
  /** The writer's snapshot interval; 0 writes none. */
  readonly snapshotInterval: number;
  /** Reservations open at any time, about (each later committed or released). */
  readonly openHolds: number;
  readonly random: () => number;
}

/** Events appended per call: a bulk load, far larger than the writer's own appends. */
const EVENTS_PER_APPEND = 10_000;

/**
 * Writes the life of one steadily selling SKU: real stock events decided by the domain (receipts
 * when it runs low, reservations of 1–3 units, each later committed or, one in five, released),
 * appended in bulk. Snapshots are taken the way the writer takes them: the events are grouped into
 * the writer's batches (1–16 events), and after each batch the writer's own stock cache is told
 * the new state, which snapshots it whenever it is `snapshotInterval` events past the last one.
 * Returns the cache, so the caller can also take the snapshot a graceful stop would leave.
 */
export async function writeStockHistory(store: EventStore, sku: string, options: StockHistoryOptions) {
  const stream = stockStream(sku);
  const caches = createInventoryCaches(store, {
    maxCachedStreams: 10,
    snapshotInterval: options.snapshotInterval,
    onSnapshotSaveError: (error) => {
      throw error;
    },
  });
  const life = stockLife(sku, options);
  let state = initialStockState();
  let version = -1;
  while (version + 1 < options.events) {
    const pending: NewEvent[] = [];
    const batchEnds: { state: StockState; version: number; eventId: string }[] = [];
    while (pending.length < EVENTS_PER_APPEND && version + 1 + pending.length < options.events) {
      const batchSize = pickInt(options.random, 1, 16);
      for (let index = 0; index < batchSize && version + 1 + pending.length < options.events; index++) {
        const event = life.next(state);
        state = evolveStock(state, event);
        pending.push(storedEvent(sku, event));
      }
      batchEnds.push({
        state,
        version: version + pending.length,
        eventId: (pending[pending.length - 1] as NewEvent).id,
      });
    }
    await store.appendToStreams([{ stream, expectedVersion: version < 0 ? 'no_stream' : version, events: pending }]);
    version += pending.length;
    for (const end of batchEnds)
      caches.stock.set(stream, { state: end.state, version: end.version }, undefined, end.eventId);
  }
  await caches.stockSnapshots?.whenSaved();
  return { stream, state, version, caches };
}

/**
 * Appends `count` more events of the same life, told to no cache: what a crash just before the
 * next snapshot leaves behind. Returns the state and version after them.
 */
export async function appendWithoutSnapshots(
  store: EventStore,
  sku: string,
  after: { state: StockState; version: number },
  count: number,
  options: Pick<StockHistoryOptions, 'openHolds' | 'random'>,
) {
  const life = stockLife(sku, options);
  let state = after.state;
  const events: NewEvent[] = [];
  for (let index = 0; index < count; index++) {
    const event = life.next(state);
    state = evolveStock(state, event);
    events.push(storedEvent(sku, event));
  }
  const { nextExpectedVersion } = await store.appendToStream(stockStream(sku), events, {
    expectedVersion: after.version,
  });
  return { state, version: nextExpectedVersion };
}

function storedEvent(sku: string, event: StockEvent): NewEvent {
  const commandId = randomUUID();
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { correlationId: sku, causationId: commandId, occurredAt: new Date().toISOString(), commandId },
  };
}

/** The next event of the SKU's life, decided by the domain from its current state. */
function stockLife(sku: string, options: Pick<StockHistoryOptions, 'openHolds' | 'random'>) {
  // Checkout ids unique to this life, so a second life on the same stream never repeats an open one.
  const life = randomUUID().slice(0, 8);
  let checkouts = 0;
  const decideOne = (command: StockCommand, state: StockState): StockEvent => {
    const [event] = decideStock(command, state);
    if (!event) throw new Error(`${command.type} on ${sku} decided nothing`);
    return event;
  };
  return {
    next(state: StockState): StockEvent {
      const holds = Object.keys(state.reservations);
      if (availableOf(state) < 3) return decideOne({ type: 'ReceiveStock', data: { sku, quantity: 1_000 } }, state);
      if (holds.length < options.openHolds && (holds.length === 0 || options.random() < 0.5)) {
        const checkoutId = `checkout-${life}-${(checkouts += 1)}`;
        return decideOne(
          {
            type: 'ReserveUnits',
            data: { sku, checkoutId, quantity: pickInt(options.random, 1, 3), expiresAt: '2026-12-01T10:15:00.000Z' },
          },
          state,
        );
      }
      const checkoutId = holds[pickInt(options.random, 0, holds.length - 1)] as string;
      return options.random() < 0.8
        ? decideOne({ type: 'CommitUnits', data: { sku, checkoutId } }, state)
        : decideOne({ type: 'ReleaseUnits', data: { sku, checkoutId, reason: 'released' } }, state);
    },
  };
}

import type { EventStore } from '@stockade/event-store';
import { InventoryWriter, ReservationExpiryScheduler } from '@stockade/inventory-service';
import { ManualClock } from '@stockade/kernel';
import { pickInt } from '../client/seeded-random';

export interface CatalogMemoryFigures {
  readonly skus: number;
  readonly openReservations: number;
  readonly maxCachedStreams: number;
  /** V8 heap after a full GC: the writer's cached stock states, per SKU. */
  readonly heapBytesPerSku: number;
  /** The writer's side of an open reservation: its reservation state and the hold in its SKU's state. */
  readonly heapBytesPerOpenReservation: number;
  /** The expiry timer's side: what it keeps to expire the reservation on time. */
  readonly schedulerHeapBytesPerOpenReservation: number;
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  /** A stop that snapshots every SKU of the catalog (the most a graceful stop can have to do). */
  readonly secondsToSnapshotEverySkuOnStop: number;
  readonly seconds: number;
}

const COMMANDS_IN_FLIGHT = 20_000;

/**
 * Fills a real InventoryWriter's caches with a catalog, through its commands (one receipt per
 * SKU, then one-line reservations on random SKUs), and the expiry timer with the open
 * reservations, measuring the V8 heap after a full GC at each step. `gc` is Node's, exposed by
 * `--expose-gc`. The store's own memory (SQLite's page cache) is outside the heap; RSS shows it.
 */
export async function measureCatalogMemory(
  store: EventStore,
  gc: () => void,
  options: { skus: number; reservations: number; random: () => number },
): Promise<CatalogMemoryFigures> {
  const started = performance.now();
  const clock = new ManualClock('2026-12-01T10:00:00.000Z');
  const maxCachedStreams = Math.max(options.skus, options.reservations);
  // Expiry far away: every reservation stays open while measured.
  const writer = new InventoryWriter(store, { clock, maxCachedStreams, reservationTtlMs: 24 * 3600 * 1000 });
  const skuOf = (index: number) => `SKU-${String(index).padStart(7, '0')}`;
  const heapNow = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };

  const empty = heapNow();
  await inWaves(options.skus, (index) =>
    writer.receiveStock(skuOf(index), 1_000, {
      commandId: `receive-${index}`,
      correlationId: skuOf(index),
      causationId: `receive-${index}`,
    }),
  );
  const withCatalog = heapNow();

  await inWaves(options.reservations, async (index) => {
    const checkoutId = `checkout-${index}`;
    const outcome = await writer.reserve(
      checkoutId,
      [{ sku: skuOf(pickInt(options.random, 0, options.skus - 1)), quantity: 1 }],
      { commandId: `reserve-${index}`, correlationId: checkoutId, causationId: checkoutId },
    );
    if (outcome.status !== 'accepted') throw new Error(`reservation ${checkoutId} was ${outcome.status}`);
  });
  const withReservations = heapNow();

  const scheduler = new ReservationExpiryScheduler(store, writer, { clock });
  if ((await scheduler.runDue()) !== 0) throw new Error('nothing should have expired');
  const withTimers = heapNow();
  const memory = process.memoryUsage();
  await writer.whenIdle();
  const stopping = performance.now();
  const snapshotted = await writer.snapshotBeforeStop({ minEvents: 1, withinMs: Number.POSITIVE_INFINITY });
  if (snapshotted !== options.skus) throw new Error(`${snapshotted} of ${options.skus} SKUs were snapshotted on stop`);
  const secondsToSnapshotEverySkuOnStop = Math.round((performance.now() - stopping) / 100) / 10;
  return {
    skus: options.skus,
    openReservations: scheduler.openReservations().length,
    maxCachedStreams,
    heapBytesPerSku: Math.round((withCatalog - empty) / options.skus),
    heapBytesPerOpenReservation: Math.round((withReservations - withCatalog) / Math.max(1, options.reservations)),
    schedulerHeapBytesPerOpenReservation: Math.round(
      (withTimers - withReservations) / Math.max(1, options.reservations),
    ),
    heapUsedMiB: Math.round(memory.heapUsed / 2 ** 20),
    rssMiB: Math.round(memory.rss / 2 ** 20),
    secondsToSnapshotEverySkuOnStop,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** Submits `count` commands, at most COMMANDS_IN_FLIGHT at a time, so the writer's group commit fills its batches. */
async function inWaves(count: number, submit: (index: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += COMMANDS_IN_FLIGHT) {
    await Promise.all(
      Array.from({ length: Math.min(COMMANDS_IN_FLIGHT, count - start) }, (_, offset) => submit(start + offset)),
    );
  }
}

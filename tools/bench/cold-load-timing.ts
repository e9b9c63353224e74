import type { EventStore } from '@stockade/event-store';
import { createInventoryCaches, stockStream } from '@stockade/inventory-service';

export interface ColdLoadFigures {
  /** Median over the repetitions of the first `fresh` of the SKU on a new store object and new caches. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Events the load read from the store (the snapshot's own event included). */
  readonly eventsRead: number;
  readonly repetitions: number;
}

/**
 * Times a cold load of one SKU the way the writer does it on a cache miss: for each repetition a
 * new store object (`open`, not timed; a server store's pool is warmed by one query first, so
 * connecting is not counted) and new caches, then the first `fresh` of the stock stream, timed.
 */
export async function timeColdLoads(
  open: () => Promise<EventStore>,
  sku: string,
  options: { snapshotInterval: number; repetitions: number },
): Promise<ColdLoadFigures> {
  const timings: number[] = [];
  let eventsRead = 0;
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    const store = await open();
    try {
      await store.headPosition();
      const counted = countingReads(store);
      const caches = createInventoryCaches(counted.store, {
        maxCachedStreams: 10,
        snapshotInterval: options.snapshotInterval,
        onSnapshotSaveError: () => undefined,
      });
      const started = performance.now();
      await caches.stock.fresh(stockStream(sku));
      timings.push(performance.now() - started);
      eventsRead = counted.eventsRead();
      await caches.stockSnapshots?.whenSaved();
    } finally {
      await store.close();
    }
  }
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    medianMs: round(median(sorted)),
    minMs: round(sorted[0] ?? 0),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    eventsRead,
    repetitions: options.repetitions,
  };
}

/** The store, with its stream reads counted (a wrapper, so the store object itself is untouched). */
function countingReads(store: EventStore): { store: EventStore; eventsRead: () => number } {
  let read = 0;
  const counting: EventStore = Object.create(store) as EventStore;
  counting.readStream = async (stream, options) => {
    const events = await store.readStream(stream, options);
    read += events.length;
    return events;
  };
  return { store: counting, eventsRead: () => read };
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

import type { EventStore } from '@stockade/event-store';
import {
  evolveReservation,
  evolveStock,
  initialReservationState,
  initialStockState,
  isReservationEvent,
  isStockEvent,
  ReservationEvent,
  ReservationState,
  StockEvent,
  StockState,
} from '@stockade/inventory-domain';
import type { ResolvedInventoryOptions } from './inventory-options';
import { stockSnapshotCodec } from './stock-snapshot-codec';
import { StreamCache } from './stream-cache';
import { StreamSnapshots } from './stream-snapshots';

/** The writer's states: one cache per kind of stream, and the stock snapshots behind the first. */
export interface InventoryCaches {
  readonly stock: StreamCache<StockEvent, StockState>;
  readonly reservation: StreamCache<ReservationEvent, ReservationState>;
  /** Undefined when snapshots are off (`snapshotInterval` 0). */
  readonly stockSnapshots: StreamSnapshots<StockState> | undefined;
}

export type InventoryCacheOptions = Pick<
  ResolvedInventoryOptions,
  'maxCachedStreams' | 'snapshotInterval' | 'onSnapshotSaveError'
>;

/**
 * Only a reservation still holding stock (accepted) is kept in memory. One that ended (committed,
 * released, expired, rejected) is decided on again only by a redelivery or a late command, which
 * reads its two or three events back from the store: kept, it held memory until the LRU of
 * `maxCachedStreams` evicted it, 100,000 of them by default.
 */
export const isReservationLive = (state: ReservationState): boolean => state.status === 'accepted';

/** The caches as the InventoryWriter uses them; exported so the cold-start bench measures exactly these. */
export function createInventoryCaches(store: EventStore, options: InventoryCacheOptions): InventoryCaches {
  const { maxCachedStreams, snapshotInterval, onSnapshotSaveError } = options;
  // Only stock streams grow long; a reservation stream ends after two or three events.
  const stockSnapshots =
    snapshotInterval > 0
      ? new StreamSnapshots({
          store: store.snapshotStore(),
          codec: stockSnapshotCodec,
          interval: snapshotInterval,
          onSaveError: onSnapshotSaveError,
        })
      : undefined;
  return {
    stock: new StreamCache(
      store,
      { isEvent: isStockEvent, evolve: evolveStock, initialState: initialStockState },
      maxCachedStreams,
      stockSnapshots,
    ),
    reservation: new StreamCache(
      store,
      { isEvent: isReservationEvent, evolve: evolveReservation, initialState: initialReservationState },
      maxCachedStreams,
      undefined,
      isReservationLive,
    ),
    stockSnapshots,
  };
}

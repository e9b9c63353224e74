import { Clock, systemClock } from '@stockade/kernel';
import { DEFAULT_LIMITED_THRESHOLD } from '@stockade/contracts';

/** Settings of the inventory service; every one has a default. */
export interface InventoryModuleOptions {
  /** How long a reservation holds stock unless committed or released. Default 15 minutes. */
  readonly reservationTtlMs?: number;
  /** Available units at or below which a SKU is LIMITED (above 0). Default 5. */
  readonly limitedThreshold?: number;
  /** The source of `now` for TTLs, expiry and event times. Default: the system clock. */
  readonly clock?: Clock;
  /** How often the expiry scheduler looks for due reservations. Default 1000 ms. */
  readonly expiryCheckIntervalMs?: number;
  /** Most commands decided and appended together in one group commit. Default 1000. */
  readonly maxBatchSize?: number;
  /** Times a batch is re-decided after another process wrote the same streams. Default 5. */
  readonly maxConflictRetries?: number;
  /**
   * Aggregate states kept in memory, per kind (stock, reservation). Default 100,000. A SKU not in
   * memory costs a cold load (its snapshot and the events after it) on its next command, so set it
   * to at least the number of SKUs that sell (docs/benchmarks.md has the memory per SKU).
   */
  readonly maxCachedStreams?: number;
  /**
   * A SKU's stock stream gets a snapshot once it is this many events past its last one, so a cold
   * load reads at most this many events whatever the stream's length (ADR 14). 0 turns snapshots
   * off (none written, none read). Default 100.
   */
  readonly snapshotInterval?: number;
  /** Told about snapshots that could not be saved (harmless: the next cold load folds more events). Default: ignored. */
  readonly onSnapshotSaveError?: (error: unknown, streams: readonly string[]) => void;
}

export const DEFAULT_SNAPSHOT_INTERVAL = 100;

export type ResolvedInventoryOptions = Required<InventoryModuleOptions>;

export function resolveInventoryOptions(options: InventoryModuleOptions = {}): ResolvedInventoryOptions {
  return {
    reservationTtlMs: options.reservationTtlMs ?? 15 * 60_000,
    limitedThreshold: options.limitedThreshold ?? DEFAULT_LIMITED_THRESHOLD,
    clock: options.clock ?? systemClock,
    expiryCheckIntervalMs: options.expiryCheckIntervalMs ?? 1000,
    maxBatchSize: options.maxBatchSize ?? 1000,
    maxConflictRetries: options.maxConflictRetries ?? 5,
    maxCachedStreams: options.maxCachedStreams ?? 100_000,
    snapshotInterval: options.snapshotInterval ?? DEFAULT_SNAPSHOT_INTERVAL,
    onSnapshotSaveError: options.onSnapshotSaveError ?? (() => undefined),
  };
}

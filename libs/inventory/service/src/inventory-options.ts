import { Clock, systemClock } from '@stockade/kernel';
import { DEFAULT_LIMITED_THRESHOLD } from '@stockade/inventory-domain';

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
  /** Aggregate states kept in memory, per kind (stock, reservation). Default 100,000. */
  readonly maxCachedStreams?: number;
}

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
  };
}

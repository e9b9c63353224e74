import { initialReplenishment, Listing, ReplenishmentState, StockState } from '@stockade/inventory-domain';
import type { SnapshotCodec } from './snapshot-codec';

/**
 * Stock snapshots, schema 3: the StockState fields as they are (schema 1 had no replenishment,
 * schema 2 no listing). Bump the version when StockState or evolveStock changes (a new stock
 * event type included): older snapshots are then ignored and rebuilt from the events, so they need
 * no migration. Schema 2 is still read, as a state without a listing: no release that wrote it
 * knew ProductListed, so a schema-2 snapshot is exactly a stream's state before any listing.
 */
export const STOCK_SNAPSHOT_SCHEMA_VERSION = 3;
const SCHEMA_BEFORE_LISTINGS = 2;

interface StockSnapshotV3 {
  readonly sku: string;
  readonly exists: boolean;
  readonly onHand: number;
  readonly reserved: number;
  readonly reservations: Record<string, number>;
  readonly replenishment: ReplenishmentState;
  /** Absent for a SKU never listed (and in every schema-2 snapshot). */
  readonly listing?: Listing;
}

export const stockSnapshotCodec: SnapshotCodec<StockState> = {
  schemaVersion: STOCK_SNAPSHOT_SCHEMA_VERSION,
  encode: (state): StockSnapshotV3 => ({
    sku: state.sku,
    exists: state.exists,
    onHand: state.onHand,
    reserved: state.reserved,
    // A copy: the writer folds holds into its state's record in place (see evolveOwnedStock).
    reservations: { ...state.reservations },
    replenishment: state.replenishment,
    ...(state.listing === undefined ? {} : { listing: state.listing }),
  }),
  decode: (data, schemaVersion) => {
    if (schemaVersion !== STOCK_SNAPSHOT_SCHEMA_VERSION && schemaVersion !== SCHEMA_BEFORE_LISTINGS) return undefined;
    if (!isStockSnapshot(data)) return undefined;
    const state: StockState = {
      sku: data.sku,
      exists: data.exists,
      onHand: data.onHand,
      reserved: data.reserved,
      reservations: data.reservations,
      replenishment: { ...initialReplenishment(), ...data.replenishment },
    };
    return data.listing === undefined
      ? state
      : { ...state, listing: { name: data.listing.name, unitPrice: data.listing.unitPrice } };
  },
};

function isStockSnapshot(data: unknown): data is StockSnapshotV3 {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<Record<keyof StockSnapshotV3, unknown>>;
  const { reservations, replenishment, listing } = candidate;
  return (
    typeof candidate.sku === 'string' &&
    typeof candidate.exists === 'boolean' &&
    Number.isInteger(candidate.onHand) &&
    Number.isInteger(candidate.reserved) &&
    typeof reservations === 'object' &&
    reservations !== null &&
    !Array.isArray(reservations) &&
    Object.values(reservations).every((quantity) => Number.isInteger(quantity)) &&
    isReplenishment(replenishment) &&
    (listing === undefined || isListing(listing))
  );
}

function isReplenishment(data: unknown): data is ReplenishmentState {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<Record<keyof ReplenishmentState, unknown>>;
  return typeof candidate.lowStockAlert === 'boolean' && Number.isInteger(candidate.purchaseOrdersIssued);
}

function isListing(data: unknown): data is Listing {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<Record<keyof Listing, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.unitPrice === 'number' &&
    Number.isFinite(candidate.unitPrice)
  );
}

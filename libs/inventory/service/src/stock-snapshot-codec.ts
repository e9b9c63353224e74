import { initialReplenishment, ReplenishmentState, StockState } from '@stockade/inventory-domain';
import type { SnapshotCodec } from './snapshot-codec';

/**
 * Stock snapshots, schema 2: the StockState fields as they are (schema 1 had no replenishment). Bump the version when StockState
 * or evolveStock changes (a new stock event type included): older snapshots are then ignored and
 * rebuilt from the events, so they need no migration.
 */
export const STOCK_SNAPSHOT_SCHEMA_VERSION = 2;

interface StockSnapshotV2 {
  readonly sku: string;
  readonly exists: boolean;
  readonly onHand: number;
  readonly reserved: number;
  readonly reservations: Record<string, number>;
  readonly replenishment: ReplenishmentState;
}

export const stockSnapshotCodec: SnapshotCodec<StockState> = {
  schemaVersion: STOCK_SNAPSHOT_SCHEMA_VERSION,
  encode: (state): StockSnapshotV2 => ({
    sku: state.sku,
    exists: state.exists,
    onHand: state.onHand,
    reserved: state.reserved,
    // A copy: the writer folds holds into its state's record in place (see evolveOwnedStock).
    reservations: { ...state.reservations },
    replenishment: state.replenishment,
  }),
  decode: (data) =>
    isStockSnapshotV2(data)
      ? { sku: data.sku, exists: data.exists, onHand: data.onHand, reserved: data.reserved, reservations: data.reservations, replenishment: { ...initialReplenishment(), ...data.replenishment } }
      : undefined,
};

function isStockSnapshotV2(data: unknown): data is StockSnapshotV2 {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<Record<keyof StockSnapshotV2, unknown>>;
  const { reservations, replenishment } = candidate;
  return (
    typeof candidate.sku === 'string' &&
    typeof candidate.exists === 'boolean' &&
    Number.isInteger(candidate.onHand) &&
    Number.isInteger(candidate.reserved) &&
    typeof reservations === 'object' &&
    reservations !== null &&
    !Array.isArray(reservations) &&
    Object.values(reservations).every((quantity) => Number.isInteger(quantity)) &&
    isReplenishment(replenishment)
  );
}

function isReplenishment(data: unknown): data is ReplenishmentState {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<Record<keyof ReplenishmentState, unknown>>;
  return typeof candidate.lowStockAlert === 'boolean' && Number.isInteger(candidate.purchaseOrdersIssued);
}

import type { StockState } from '@stockade/inventory-domain';
import type { SnapshotCodec } from './snapshot-codec';

/**
 * Stock snapshots, schema 1: the StockState fields as they are. Bump the version when StockState
 * or evolveStock changes (a new stock event type included): older snapshots are then ignored and
 * rebuilt from the events, so they need no migration.
 */
export const STOCK_SNAPSHOT_SCHEMA_VERSION = 1;

interface StockSnapshotV1 {
  readonly sku: string;
  readonly exists: boolean;
  readonly onHand: number;
  readonly reserved: number;
  readonly reservations: Record<string, number>;
}

export const stockSnapshotCodec: SnapshotCodec<StockState> = {
  schemaVersion: STOCK_SNAPSHOT_SCHEMA_VERSION,
  encode: (state): StockSnapshotV1 => ({
    sku: state.sku,
    exists: state.exists,
    onHand: state.onHand,
    reserved: state.reserved,
    // A copy: the writer folds holds into its state's record in place (see evolveOwnedStock).
    reservations: { ...state.reservations },
  }),
  decode: (data) => (isStockSnapshotV1(data) ? { sku: data.sku, exists: data.exists, onHand: data.onHand, reserved: data.reserved, reservations: data.reservations } : undefined),
};

function isStockSnapshotV1(data: unknown): data is StockSnapshotV1 {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as Partial<Record<keyof StockSnapshotV1, unknown>>;
  const { reservations } = candidate;
  return (
    typeof candidate.sku === 'string' &&
    typeof candidate.exists === 'boolean' &&
    Number.isInteger(candidate.onHand) &&
    Number.isInteger(candidate.reserved) &&
    typeof reservations === 'object' &&
    reservations !== null &&
    !Array.isArray(reservations) &&
    Object.values(reservations).every((quantity) => Number.isInteger(quantity))
  );
}

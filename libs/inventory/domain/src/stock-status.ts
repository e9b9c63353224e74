/**
 * The badge shown next to a product. LIMITED warns before the last units go; the threshold
 * is configurable (default 5, as in the shop this grew from). Same values as the contracts'
 * StockStatus, so views and messages can carry it as is.
 */
export type StockStatus = 'IN_STOCK' | 'LIMITED' | 'OUT_OF_STOCK';

export const DEFAULT_LIMITED_THRESHOLD = 5;

export function stockStatus(available: number, limitedThreshold = DEFAULT_LIMITED_THRESHOLD): StockStatus {
  if (available <= 0) return 'OUT_OF_STOCK';
  return available <= limitedThreshold ? 'LIMITED' : 'IN_STOCK';
}

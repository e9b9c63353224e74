/**
 * The badge a shopper sees per cart line. LIMITED warns before the last units go; the
 * threshold is configurable (default 5, as the shop this grew from used).
 */
export type StockBadge = 'IN_STOCK' | 'LIMITED' | 'OUT_OF_STOCK';

export const DEFAULT_LIMITED_THRESHOLD = 5;

export function stockBadge(available: number | undefined, limitedThreshold = DEFAULT_LIMITED_THRESHOLD): StockBadge {
  if (available === undefined || available <= 0) return 'OUT_OF_STOCK';
  return available <= limitedThreshold ? 'LIMITED' : 'IN_STOCK';
}

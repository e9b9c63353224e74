import type { StockStatus } from './primitives';

/** At or below this many available units a SKU is LIMITED (as in the shop this grew from); STOCKADE_LIMITED_THRESHOLD overrides it. */
export const DEFAULT_LIMITED_THRESHOLD = 5;

/**
 * The badge next to a product, in a cart line, a stock level message and an operator's view:
 * LIMITED warns before the last units go. One rule for inventory and carts alike; a SKU the
 * cart knows no level of (`undefined`) cannot be bought, so it is OUT_OF_STOCK.
 */
export function stockStatus(available: number | undefined, limitedThreshold = DEFAULT_LIMITED_THRESHOLD): StockStatus {
  if (available === undefined || available <= 0) return 'OUT_OF_STOCK';
  return available <= limitedThreshold ? 'LIMITED' : 'IN_STOCK';
}

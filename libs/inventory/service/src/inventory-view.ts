import { DEFAULT_LIMITED_THRESHOLD, stockStatus, type InventoryView } from '@stockade/contracts';
import type { StockLevels } from '@stockade/inventory-domain';

/** The public view of one SKU (GET /inventory/{sku}, StockLevelChanged.v1) from its levels, with its name and price once it is listed. */
export function toInventoryView(
  sku: string,
  levels: StockLevels,
  limitedThreshold = DEFAULT_LIMITED_THRESHOLD,
): InventoryView {
  const available = levels.onHand - levels.reserved;
  const view = {
    sku,
    onHand: levels.onHand,
    reserved: levels.reserved,
    available,
    status: stockStatus(available, limitedThreshold),
  };
  return levels.listing === undefined
    ? view
    : { ...view, name: levels.listing.name, unitPrice: levels.listing.unitPrice };
}

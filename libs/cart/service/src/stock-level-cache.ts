import type { SkuOffer } from '@stockade/cart-domain';
import { parseOrThrow, StockLevelChangedV1, stockOfferOf } from '@stockade/contracts';
import type { StockAvailability } from './ports';

/**
 * Availability and listing per SKU as last announced on the stock-levels topic. Used by a cart
 * service that runs apart from inventory; a stale level only affects badges and edit limits,
 * never the reservation, which inventory decides on its own state. Every level message says the
 * SKU's listing at that time (ADR 0022), so the last one per SKU is the whole offer.
 */
export class StockLevelCache implements StockAvailability {
  private readonly offersBySku = new Map<string, SkuOffer>();

  /** Handler for TOPICS.stockLevels; per-key order means the last message per SKU wins. */
  async handleStockLevelChanged(rawValue: string): Promise<void> {
    const { data } = parseOrThrow(StockLevelChangedV1, JSON.parse(rawValue));
    this.offersBySku.set(data.sku, stockOfferOf(data));
  }

  async offers(skus: readonly string[]): Promise<ReadonlyMap<string, SkuOffer | undefined>> {
    return new Map(skus.map((sku) => [sku, this.offersBySku.get(sku)]));
  }
}

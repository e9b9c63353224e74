import { parseOrThrow, StockLevelChangedV1 } from '@stockade/contracts';
import type { StockAvailability } from './ports';

/**
 * Availability per SKU as last announced on the stock-levels topic. Used by a cart service
 * that runs apart from inventory; a stale value only affects badges and edit limits, never
 * the reservation, which inventory decides on its own state.
 */
export class StockLevelCache implements StockAvailability {
  private readonly levels = new Map<string, { available: number; version: string }>();

  /** Handler for TOPICS.stockLevels; per-key order means the last message per SKU wins. */
  async handleStockLevelChanged(rawValue: string): Promise<void> {
    const message = parseOrThrow(StockLevelChangedV1, JSON.parse(rawValue));
    this.levels.set(message.data.sku, { available: message.data.available, version: message.occurredAt });
  }

  async available(skus: readonly string[]): Promise<ReadonlyMap<string, number | undefined>> {
    return new Map(skus.map((sku) => [sku, this.levels.get(sku)?.available]));
  }
}

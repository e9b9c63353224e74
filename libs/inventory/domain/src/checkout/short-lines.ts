import { availableOf, StockState } from '../stock/stock-decider';
import type { ReservationLine, ShortLine } from '../reservation/reservation-events';

/**
 * The availability policy of a checkout: every line is checked before anything is taken, and
 * every short line is named, so the shopper can fix the whole cart at once.
 * A SKU that never received stock is short too (unknown), with 0 available.
 */
export function shortLinesOf(
  lines: readonly ReservationLine[],
  stocks: Readonly<Record<string, StockState>>,
): readonly ShortLine[] {
  return lines.flatMap((line): ShortLine[] => {
    const stock = stocks[line.sku];
    if (!stock?.exists)
      return [{ sku: line.sku, requested: line.quantity, available: 0, reason: `${line.sku}: unknown SKU` }];
    const available = Math.max(0, availableOf(stock));
    if (line.quantity <= available) return [];
    return [
      {
        sku: line.sku,
        requested: line.quantity,
        available,
        reason: `${line.sku}: only ${available} available, ${line.quantity} requested`,
      },
    ];
  });
}

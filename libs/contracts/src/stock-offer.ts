/**
 * What the shop offers of a SKU now, as inventory publishes it (a stock level, ADR 0022): how many
 * are available and, once an operator listed it, its name and price. The published language between
 * inventory and carts: carts price and limit lines by it, whichever way it reaches them (the
 * stock-levels topic, or inventory in the same process).
 */
export interface StockOffer {
  readonly available: number;
  readonly name?: string;
  readonly unitPrice?: number;
}

/** The offer a stock level announces: its availability, with name and price when the SKU is listed. */
export function stockOfferOf(level: {
  readonly available: number;
  readonly name?: string | undefined;
  readonly unitPrice?: number | undefined;
}): StockOffer {
  const { available, name, unitPrice } = level;
  return { available, ...(name === undefined ? {} : { name }), ...(unitPrice === undefined ? {} : { unitPrice }) };
}

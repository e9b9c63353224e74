/** Stream names: one Stock stream per SKU, one Reservation stream per checkout. */
export const STOCK_STREAM_PREFIX = 'stock-';
export const RESERVATION_STREAM_PREFIX = 'reservation-';

export const stockStream = (sku: string): string => `${STOCK_STREAM_PREFIX}${sku}`;
export const reservationStream = (checkoutId: string): string => `${RESERVATION_STREAM_PREFIX}${checkoutId}`;

/**
 * What the inventory domain calls a checkout: the checkout id itself, or, for one part of a
 * checkout spread over shards (ADR 0020), `<checkoutId>#<shard>`. `#` is not allowed in ids, so a
 * part never meets another checkout's reservation; everything inside inventory (the reservation
 * stream, its expiry, the writer's outcomes) works on this key unchanged.
 */
export function reservationKey(checkoutId: string, shard: number | undefined): string {
  return shard === undefined ? checkoutId : `${checkoutId}${PART_SEPARATOR}${shard}`;
}

/** The checkout id and part shard a reservation key stands for (what inventory's messages name). */
export function partOfReservationKey(key: string): { readonly checkoutId: string; readonly shard?: number } {
  const separator = key.lastIndexOf(PART_SEPARATOR);
  if (separator < 0) return { checkoutId: key };
  return { checkoutId: key.slice(0, separator), shard: Number(key.slice(separator + 1)) };
}

const PART_SEPARATOR = '#';

/** Stream names: one Stock stream per SKU, one Reservation stream per checkout. */
export const STOCK_STREAM_PREFIX = 'stock-';
export const RESERVATION_STREAM_PREFIX = 'reservation-';

export const stockStream = (sku: string): string => `${STOCK_STREAM_PREFIX}${sku}`;
export const reservationStream = (checkoutId: string): string => `${RESERVATION_STREAM_PREFIX}${checkoutId}`;

import { StockadeError } from '@stockade/kernel';
import type { OrderLine } from './order-events';
import type { PlaceOrder } from './order-inputs';
import type { PlacedOrder } from './order-state';

/**
 * A checkout id is an idempotency key (ADR 0021): the same checkout sent again is the same order,
 * but the same id with another customer or other lines is a different checkout that must not be
 * silently answered with the first one (HTTP 409; on checkout.requested, a dead letter with this
 * reason). Not compared: the payment reference (a gateway may issue a new one for the same card)
 * and the time. The message names no detail of the stored order, so a repeat reveals nothing.
 */
export class CheckoutIdReused extends StockadeError {
  constructor(readonly orderId: string) {
    super(
      'CONFLICT',
      `checkout ${orderId} was already placed with another customer or other lines: a different checkout needs its own checkoutId`,
      {
        issues: [{ field: 'checkoutId', message: 'already used for a different checkout' }],
      },
    );
  }
}

/** Whether a PlaceOrder repeats the order already placed: same customer, same lines (sku, quantity, unit price; in any order). */
export function repeatsPlacedOrder(placed: PlacedOrder, command: PlaceOrder['data']): boolean {
  return placed.customerId === command.customerId && sameLines(placed.lines, command.lines);
}

function sameLines(placed: readonly OrderLine[], repeated: readonly OrderLine[]): boolean {
  if (placed.length !== repeated.length) return false;
  const bySku = new Map(placed.map((line) => [line.sku, line]));
  return repeated.every((line) => {
    const before = bySku.get(line.sku);
    return before !== undefined && before.quantity === line.quantity && before.unitPrice === line.unitPrice;
  });
}

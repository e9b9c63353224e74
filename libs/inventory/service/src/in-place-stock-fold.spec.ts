import { evolveStock, initialStockState, StockEvent } from '@stockade/inventory-domain';
import { evolveOwnedStock } from './in-place-stock-fold';

const sku = 'SKU-1';
const levels = (onHand: number, reserved: number) => ({ sku, onHand, reserved });

/** A deterministic mix of every stock event type over a handful of checkouts, with repeats. */
function someStockEvents(count: number): StockEvent[] {
  const events: StockEvent[] = [{ type: 'StockReceived', data: { ...levels(100, 0), quantity: 100 } }];
  for (let i = 0; i < count; i++) {
    const checkoutId = `c${(i * 7) % 13}`;
    const kind = (i * 5) % 4;
    if (kind === 0)
      events.push({
        type: 'StockReserved',
        data: { ...levels(100, i), checkoutId, quantity: 1 + (i % 3), expiresAt: '2026-03-01T10:00:00.000Z' },
      });
    else if (kind === 1)
      events.push({ type: 'StockReleased', data: { ...levels(100, i), checkoutId, quantity: 1, reason: 'released' } });
    else if (kind === 2) events.push({ type: 'StockCommitted', data: { ...levels(99, i), checkoutId, quantity: 1 } });
    else if (i % 10 === 3)
      events.push({
        type: 'ProductListed',
        data: { ...levels(100 + i, i), listing: { name: 'Desk lamp', unitPrice: 1 + i } },
      });
    else events.push({ type: 'StockAdjusted', data: { ...levels(100 + i, i), delta: 1, reason: 'found' } });
  }
  return events;
}

describe('in-place stock fold', () => {
  it('given any sequence of stock events, when folded in place, then the state equals the domain fold', () => {
    const events = someStockEvents(200);
    const expected = events.reduce(evolveStock, initialStockState());
    const actual = events.reduce(evolveOwnedStock, initialStockState());
    expect(actual).toEqual(expected);
  });
});

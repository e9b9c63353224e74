import { StockLevelCache } from './stock-level-cache';
import { stockLevelMessage } from './testing/cart-fixtures';

const levelMessage = (sku: string, available: number, listing?: { name: string; unitPrice: number }) =>
  stockLevelMessage(sku, available, undefined, undefined, listing);

describe('the stock level cache', () => {
  it('given no announcement for a sku, then its offer is unknown', async () => {
    expect((await new StockLevelCache().offers(['LAMP'])).get('LAMP')).toBeUndefined();
  });

  it('given two announcements for a sku, then the later one is what carts see', async () => {
    const cache = new StockLevelCache();
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3));
    expect((await cache.offers(['LAMP'])).get('LAMP')).toEqual({ available: 3 });
  });

  it('given a listed sku, when its levels are announced, then carts see its name and price with them, and the latest price after a change', async () => {
    const cache = new StockLevelCache();
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, { name: 'Desk lamp', unitPrice: 39.5 }));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 7, { name: 'Desk lamp', unitPrice: 42 }));
    expect((await cache.offers(['LAMP', 'DESK'])).get('LAMP')).toEqual({
      available: 7,
      name: 'Desk lamp',
      unitPrice: 42,
    });
  });

  it('given a malformed announcement, then it is refused naming the field', async () => {
    await expect(
      new StockLevelCache().handleStockLevelChanged(JSON.stringify({ type: 'StockLevelChanged.v1' })),
    ).rejects.toThrow(/messageId/);
  });
});

import { StockLevelCache } from './stock-level-cache';
import { stockLevelMessage } from './testing/cart-fixtures';

const levelMessage = (sku: string, available: number) => stockLevelMessage(sku, available);

describe('the stock level cache', () => {
  it('given no announcement for a sku, then its availability is unknown', async () => {
    expect((await new StockLevelCache().available(['LAMP'])).get('LAMP')).toBeUndefined();
  });

  it('given two announcements for a sku, then the later one is what carts see', async () => {
    const cache = new StockLevelCache();
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3));
    expect((await cache.available(['LAMP'])).get('LAMP')).toBe(3);
  });

  it('given a malformed announcement, then it is refused naming the field', async () => {
    await expect(new StockLevelCache().handleStockLevelChanged(JSON.stringify({ type: 'StockLevelChanged.v1' }))).rejects.toThrow(/messageId/);
  });
});

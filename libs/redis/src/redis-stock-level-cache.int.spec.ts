import { stockLevelMessage } from '@stockade/cart-service/testing';
import { RedisStockLevelCache } from './redis-stock-level-cache';
import { deleteKeysWithPrefix, randomKeyPrefix, testClient } from './testing/test-redis';

const levelMessage = stockLevelMessage;

describe('the Redis stock level cache', () => {
  const { redis } = testClient();
  const { redis: otherInstance } = testClient();
  let keyPrefix: string;
  let cache: RedisStockLevelCache;

  beforeEach(() => {
    keyPrefix = randomKeyPrefix('stock');
    cache = new RedisStockLevelCache({ redis, keyPrefix });
  });
  afterEach(() => deleteKeysWithPrefix(redis, keyPrefix));
  afterAll(async () => {
    await redis.quit();
    await otherInstance.quit();
  });

  it('given no announcement for a sku, then its availability is unknown', async () => {
    expect((await cache.offers(['LAMP'])).get('LAMP')?.available).toBeUndefined();
  });

  it('given a newer announcement, then it overwrites the stored level', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z'));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3, '2026-01-01T00:00:01.000Z'));
    expect((await cache.offers(['LAMP'])).get('LAMP')?.available).toBe(3);
  });

  it('given an older announcement arriving late, then it is ignored', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3, '2026-01-01T00:00:01.000Z'));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z'));
    expect((await cache.offers(['LAMP'])).get('LAMP')?.available).toBe(3);
  });

  it('given two changes in the same millisecond, then the later delivered one is what carts see', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z'));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 7, '2026-01-01T00:00:00.000Z'));
    expect((await cache.offers(['LAMP'])).get('LAMP')?.available).toBe(7);
  });

  it('given several skus, when they are read at once, then known ones have their level and unknown ones undefined', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3, '2026-01-01T00:00:00.000Z'));
    await cache.handleStockLevelChanged(levelMessage('DESK', 0, '2026-01-01T00:00:00.000Z'));
    const offers = await cache.offers(['LAMP', 'GHOST', 'DESK']);
    expect([...offers]).toEqual([
      ['LAMP', { available: 3 }],
      ['GHOST', undefined],
      ['DESK', { available: 0 }],
    ]);
  });

  it('given a listed SKU, then its name and price are kept with its level, the latest price wins, and an older message cannot bring back an old price', async () => {
    await cache.handleStockLevelChanged(
      stockLevelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z', undefined, { name: 'Desk lamp', unitPrice: 39.5 }),
    );
    await cache.handleStockLevelChanged(
      stockLevelMessage('LAMP', 8, '2026-01-01T00:00:02.000Z', undefined, { name: 'Desk lamp', unitPrice: 42 }),
    );
    await cache.handleStockLevelChanged(
      stockLevelMessage('LAMP', 8, '2026-01-01T00:00:01.000Z', undefined, { name: 'Desk lamp', unitPrice: 39.5 }),
    );

    expect((await cache.offers(['LAMP'])).get('LAMP')).toEqual({ available: 8, name: 'Desk lamp', unitPrice: 42 });
  });

  it('given a stored listing, when a newer level without one arrives (the message says the SKU is not listed), then the listing is gone', async () => {
    await cache.handleStockLevelChanged(
      stockLevelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z', undefined, { name: 'Desk lamp', unitPrice: 39.5 }),
    );
    await cache.handleStockLevelChanged(stockLevelMessage('LAMP', 7, '2026-01-01T00:00:01.000Z'));

    expect((await cache.offers(['LAMP'])).get('LAMP')).toEqual({ available: 7 });
  });

  it('given no skus, then the answer is empty', async () => {
    expect((await cache.offers([])).size).toBe(0);
  });

  it('given a level written by one cart instance, then another instance sees it without replaying the topic', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 4, '2026-01-01T00:00:00.000Z'));
    const newInstance = new RedisStockLevelCache({ redis: otherInstance, keyPrefix });
    expect((await newInstance.offers(['LAMP'])).get('LAMP')?.available).toBe(4);
  });

  it('given a malformed announcement, then it is refused naming the field and nothing is stored', async () => {
    await expect(cache.handleStockLevelChanged(JSON.stringify({ type: 'StockLevelChanged.v1' }))).rejects.toThrow(
      /messageId/,
    );
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
  });
});

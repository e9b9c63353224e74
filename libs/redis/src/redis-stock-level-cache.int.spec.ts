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
    expect((await cache.available(['LAMP'])).get('LAMP')).toBeUndefined();
  });

  it('given a newer announcement, then it overwrites the stored level', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z'));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3, '2026-01-01T00:00:01.000Z'));
    expect((await cache.available(['LAMP'])).get('LAMP')).toBe(3);
  });

  it('given an older announcement arriving late, then it is ignored', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3, '2026-01-01T00:00:01.000Z'));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z'));
    expect((await cache.available(['LAMP'])).get('LAMP')).toBe(3);
  });

  it('given two changes in the same millisecond, then the later delivered one is what carts see', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 8, '2026-01-01T00:00:00.000Z'));
    await cache.handleStockLevelChanged(levelMessage('LAMP', 7, '2026-01-01T00:00:00.000Z'));
    expect((await cache.available(['LAMP'])).get('LAMP')).toBe(7);
  });

  it('given several skus, when they are read at once, then known ones have their level and unknown ones undefined', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 3, '2026-01-01T00:00:00.000Z'));
    await cache.handleStockLevelChanged(levelMessage('DESK', 0, '2026-01-01T00:00:00.000Z'));
    const levels = await cache.available(['LAMP', 'GHOST', 'DESK']);
    expect([...levels]).toEqual([
      ['LAMP', 3],
      ['GHOST', undefined],
      ['DESK', 0],
    ]);
  });

  it('given no skus, then the answer is empty', async () => {
    expect((await cache.available([])).size).toBe(0);
  });

  it('given a level written by one cart instance, then another instance sees it without replaying the topic', async () => {
    await cache.handleStockLevelChanged(levelMessage('LAMP', 4, '2026-01-01T00:00:00.000Z'));
    const newInstance = new RedisStockLevelCache({ redis: otherInstance, keyPrefix });
    expect((await newInstance.available(['LAMP'])).get('LAMP')).toBe(4);
  });

  it('given a malformed announcement, then it is refused naming the field and nothing is stored', async () => {
    await expect(cache.handleStockLevelChanged(JSON.stringify({ type: 'StockLevelChanged.v1' }))).rejects.toThrow(/messageId/);
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
  });
});

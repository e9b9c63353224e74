import { openCart, setLine } from '@stockade/cart-domain';
import { redisReadinessCheck } from './redis-readiness';
import { RedisCartRepository } from './redis-cart-repository';
import { deleteKeysWithPrefix, randomKeyPrefix, testClient } from './testing/test-redis';

const now = new Date('2026-01-01T00:00:00.000Z');

describe('a Redis client that loses its connection', () => {
  const { redis } = testClient();
  const { redis: admin } = testClient();
  const keyPrefix = randomKeyPrefix('reconnect');
  const carts = new RedisCartRepository({ redis, keyPrefix, ttlSeconds: 600 });

  afterAll(async () => {
    await deleteKeysWithPrefix(admin, keyPrefix);
    await redis.quit();
    await admin.quit();
  });

  it('given its connection is killed while a save is being issued, then the save completes after the reconnect and the cart is readable', async () => {
    await carts.save(openCart('c1', 'alice', now));
    const loaded = await carts.find('c1');
    const connectionId = await redis.client('ID');

    // The kill has happened on the server when it answers; the client has not noticed yet, so
    // the save goes out on the dead connection and must be resent after the reconnect.
    expect(await admin.client('KILL', 'ID', String(connectionId), 'TYPE', 'normal')).toBe(1);
    await carts.save(setLine(loaded!, { sku: 'LAMP', quantity: 2, offer: { available: 5, unitPrice: 30 }, now }));

    expect((await carts.find('c1'))?.lines).toEqual([{ sku: 'LAMP', quantity: 2 }]);
    expect(await redis.client('ID')).not.toBe(connectionId);
  });

  it('given its connection is killed while a save is in flight, then the save completes and the cart is readable', async () => {
    await carts.save(openCart('c2', 'alice', now));
    const loaded = await carts.find('c2');
    const connectionId = await redis.client('ID');

    const saving = carts.save(
      setLine(loaded!, { sku: 'DESK', quantity: 1, offer: { available: 5, unitPrice: 100 }, now }),
    );
    await admin.client('KILL', 'ID', String(connectionId), 'TYPE', 'normal');
    await saving;

    expect((await carts.find('c2'))?.lines).toEqual([{ sku: 'DESK', quantity: 1 }]);
  });

  it('given a connected client, then the readiness check answers ready', async () => {
    await redis.ping();
    expect(await redisReadinessCheck(redis)()).toEqual({ ready: true, details: { redis: 'ok' } });
  });

  it('given a client that was closed, then the readiness check answers not ready at once', async () => {
    const { redis: closed } = testClient();
    await closed.ping();
    await closed.quit();
    const readiness = await redisReadinessCheck(closed)();
    expect(readiness.ready).toBe(false);
    expect(readiness.details['redis']).not.toBe('ok');
  });
});

import { openCart, setLine } from '@stockade/cart-domain';
import { StockadeError } from '@stockade/kernel';
import { versionOf } from './cart-version';
import { RedisCartRepository } from './redis-cart-repository';
import { ConcurrentCartUpdate } from './redis-errors';
import { SAVE_CART_IF_UNCHANGED } from './save-cart-if-unchanged';
import { deleteKeysWithPrefix, randomKeyPrefix, testClient } from './testing/test-redis';

const now = new Date('2026-01-01T00:00:00.000Z');
const offer = { available: 5, name: 'Desk lamp', unitPrice: 30 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Redis cart repository', () => {
  const { redis } = testClient();
  const { redis: otherInstance } = testClient();
  let keyPrefix: string;
  let carts: RedisCartRepository;

  beforeEach(() => {
    keyPrefix = randomKeyPrefix('cart');
    carts = new RedisCartRepository({ redis, keyPrefix, ttlSeconds: 600 });
  });
  afterEach(() => deleteKeysWithPrefix(redis, keyPrefix));
  afterAll(async () => {
    await redis.quit();
    await otherInstance.quit();
  });

  it('given a saved cart, when it is found, then it round-trips as saved and its key has a TTL', async () => {
    const cart = setLine(openCart('c1', 'alice', now), { sku: 'LAMP', quantity: 2, offer, now });
    await carts.save(cart);
    const found = await carts.find('c1');
    expect(found).toEqual(cart);
    expect(versionOf(found!)).toBe(1);
    const pttl = await redis.pttl(`${keyPrefix}c1`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(600_000);
  });

  it('given a cart saved by the release before catalog prices (a shopper price on each line), when it is found, then it loads with its lines and without those prices', async () => {
    const oldCart = { ...openCart('c1', 'alice', now), lines: [{ sku: 'LAMP', quantity: 2, unitPrice: 0.01 }] };
    await redis.set(`${keyPrefix}c1`, JSON.stringify({ version: 3, writeId: 'w-old', cart: oldCart }));

    const found = await carts.find('c1');

    expect(found?.lines).toEqual([{ sku: 'LAMP', quantity: 2 }]);
    expect(versionOf(found!)).toBe(3);
    await carts.save(setLine(found!, { sku: 'DESK', quantity: 1, offer, now }));
    expect(JSON.parse((await redis.get(`${keyPrefix}c1`)) as string).cart.lines).toEqual([
      { sku: 'LAMP', quantity: 2 },
      { sku: 'DESK', quantity: 1 },
    ]);
  });

  it('given an empty cart, when it is found, then its lines are still an empty list', async () => {
    await carts.save(openCart('c1', 'alice', now));
    expect((await carts.find('c1'))?.lines).toEqual([]);
  });

  it('given no cart with that id, when it is found, then undefined', async () => {
    expect(await carts.find('nope')).toBeUndefined();
  });

  it('given a cart whose TTL ran out, when it is found, then undefined', async () => {
    await carts.save(openCart('c1', 'alice', now));
    await redis.pexpire(`${keyPrefix}c1`, 1);
    await sleep(5);
    expect(await carts.find('c1')).toBeUndefined();
  });

  it('given a cart close to expiry, when it is saved again, then its TTL starts over', async () => {
    await carts.save(openCart('c1', 'alice', now));
    await redis.pexpire(`${keyPrefix}c1`, 5_000);
    const loaded = await carts.find('c1');
    await carts.save(setLine(loaded!, { sku: 'LAMP', quantity: 1, offer, now }));
    expect(await redis.pttl(`${keyPrefix}c1`)).toBeGreaterThan(5_000);
  });

  it('given two instances that loaded the same version, when both save, then exactly one wins and the other gets ConcurrentCartUpdate', async () => {
    await carts.save(openCart('c1', 'alice', now));
    const elsewhere = new RedisCartRepository({ redis: otherInstance, keyPrefix });
    const [mine, theirs] = await Promise.all([carts.find('c1'), elsewhere.find('c1')]);
    const outcomes = await Promise.allSettled([
      carts.save(setLine(mine!, { sku: 'LAMP', quantity: 1, offer, now })),
      elsewhere.save(setLine(theirs!, { sku: 'DESK', quantity: 1, offer, now })),
    ]);
    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toBeInstanceOf(ConcurrentCartUpdate);
    expect(losers[0]).toMatchObject({ code: 'CONFLICT', retriable: true, cartId: 'c1', expectedVersion: 1 });
    expect(losers[0]).toBeInstanceOf(StockadeError);
    const stored = await carts.find('c1');
    expect(stored?.lines).toHaveLength(1);
    expect(versionOf(stored!)).toBe(2);
  });

  it('given the loser of a race, when it reloads and saves again, then both changes are kept', async () => {
    await carts.save(openCart('c1', 'alice', now));
    const stale = await carts.find('c1');
    const fresh = await carts.find('c1');
    await carts.save(setLine(fresh!, { sku: 'LAMP', quantity: 1, offer, now }));
    await expect(carts.save(setLine(stale!, { sku: 'DESK', quantity: 1, offer, now }))).rejects.toBeInstanceOf(
      ConcurrentCartUpdate,
    );
    const reloaded = await carts.find('c1');
    await carts.save(setLine(reloaded!, { sku: 'DESK', quantity: 1, offer, now }));
    expect((await carts.find('c1'))?.lines.map((line) => line.sku)).toEqual(['LAMP', 'DESK']);
  });

  it('given two new carts with the same id, when both are saved, then the second gets ConcurrentCartUpdate', async () => {
    await carts.save(openCart('c1', 'alice', now));
    await expect(carts.save(openCart('c1', 'bob', now))).rejects.toBeInstanceOf(ConcurrentCartUpdate);
    expect((await carts.find('c1'))?.customerId).toBe('alice');
  });

  it('given a cart that expired after it was loaded, when it is saved, then ConcurrentCartUpdate and it stays gone', async () => {
    await carts.save(openCart('c1', 'alice', now));
    const loaded = await carts.find('c1');
    await redis.del(`${keyPrefix}c1`);
    await expect(carts.save(setLine(loaded!, { sku: 'LAMP', quantity: 1, offer, now }))).rejects.toBeInstanceOf(
      ConcurrentCartUpdate,
    );
    expect(await carts.find('c1')).toBeUndefined();
  });

  it('given one caller saving the same chain of carts twice, then it does not conflict with itself', async () => {
    const cart = openCart('c1', 'alice', now);
    await carts.save(cart);
    await carts.save(setLine(cart, { sku: 'LAMP', quantity: 1, offer, now }));
    expect(versionOf((await carts.find('c1'))!)).toBe(2);
  });

  it('given a save whose reply was lost, when ioredis resends it, then the resend succeeds without a second write', async () => {
    const key = `${keyPrefix}c1`;
    const value = JSON.stringify({ version: 1, writeId: 'w-1', cart: openCart('c1', 'alice', now) });
    expect(await redis.eval(SAVE_CART_IF_UNCHANGED, 1, key, 0, 'w-1', value, 600)).toBe(1);
    expect(await redis.eval(SAVE_CART_IF_UNCHANGED, 1, key, 0, 'w-1', value, 600)).toBe(1);
    expect(await redis.eval(SAVE_CART_IF_UNCHANGED, 1, key, 0, 'w-2', value, 600)).toBe(0);
  });
});

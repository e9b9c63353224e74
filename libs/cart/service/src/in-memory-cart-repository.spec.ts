import type { Cart } from '@stockade/cart-domain';
import { InMemoryCartRepository } from './ports';

const cart = (cartId: string): Cart => ({
  cartId,
  customerId: 'alice',
  status: 'OPEN',
  lines: [],
  checkoutAttempts: 0,
  updatedAt: '2026-12-07T00:00:00.000Z',
});

describe('InMemoryCartRepository (carts in the process)', () => {
  it('given a TTL of a minute, when carts go untouched for longer, then they are gone and no longer held in memory', async () => {
    let now = 0;
    const repository = new InMemoryCartRepository({ ttlMs: 60_000, now: () => now });
    for (let i = 0; i < 1000; i++) await repository.save(cart(`old-${i}`));
    now = 30_000;
    await repository.save(cart('recent'));

    now = 60_001;
    expect(await repository.find('old-0')).toBeUndefined();
    expect(await repository.find('recent')).toMatchObject({ cartId: 'recent' });
    expect(repository.size).toBe(1);
  });

  it('given two carts of the same age, one saved again before its TTL, when the TTL of their first save has passed, then only that one is still there (the TTL counts from the last save, as in Redis)', async () => {
    let now = 0;
    const repository = new InMemoryCartRepository({ ttlMs: 60_000, now: () => now });
    await repository.save(cart('c1'));
    await repository.save(cart('c2'));
    now = 50_000;
    await repository.save(cart('c1'));

    now = 100_000;
    expect(await repository.find('c1')).toMatchObject({ cartId: 'c1' });
    expect(await repository.find('c2')).toBeUndefined();
  });
});

import { CartService } from '@stockade/cart-service';
import { CheckoutRequestedV1, TOPICS } from '@stockade/contracts';
import { ManualClock, NotFoundError } from '@stockade/kernel';
import { orderOutcomeMessage, recordingBus, stockLevelMessage } from '@stockade/cart-service/testing';
import { RedisCartRepository } from './redis-cart-repository';
import { RedisStockLevelCache } from './redis-stock-level-cache';
import { deleteKeysWithPrefix, randomKeyPrefix, testClient } from './testing/test-redis';

const PRICES: Readonly<Record<string, number>> = { LAMP: 30, DESK: 100 };
/** A level of a SKU listed at its price in PRICES, as the inventory outbox publishes it. */
const levelMessage = (sku: string, available: number, occurredAt?: string) =>
  stockLevelMessage(sku, available, occurredAt, undefined, {
    name: sku.toLowerCase(),
    unitPrice: PRICES[sku] as number,
  });
const outcome = orderOutcomeMessage;

describe('the cart service on the Redis adapters', () => {
  const { redis } = testClient();
  const keyPrefix = randomKeyPrefix('cart-service');
  const bus = recordingBus();
  const published = bus.published;
  const stock = new RedisStockLevelCache({ redis, keyPrefix: `${keyPrefix}stock:` });
  const instance = () =>
    new CartService({
      carts: new RedisCartRepository({ redis, keyPrefix: `${keyPrefix}cart:` }),
      stock,
      bus,
      payments: { tokenize: async () => 'ref' },
      clock: new ManualClock(),
    });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });

  it('given stock levels in Redis, when a cart is filled and checked out, then its lines carry badges and one CheckoutRequested.v1 is published', async () => {
    await stock.handleStockLevelChanged(levelMessage('LAMP', 3));
    await stock.handleStockLevelChanged(levelMessage('DESK', 50));
    const service = instance();
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 1 });
    const view = await service.setItem('c1', 'DESK', { quantity: 2 });
    expect(view.lines.map((line) => [line.sku, line.available, line.badge])).toEqual([
      ['LAMP', 3, 'LIMITED'],
      ['DESK', 50, 'IN_STOCK'],
    ]);
    expect(JSON.parse(JSON.stringify(view))).toMatchObject({ cartId: 'c1', total: 230 });

    const { orderId } = await service.checkout('c1', 'tok');

    expect(orderId).toBe('c1.1');
    expect(published.map((p) => [p.topic, p.message.key])).toEqual([[TOPICS.checkoutRequested, 'c1.1']]);
    expect(CheckoutRequestedV1.parse(published[0]?.message.value).data.lines).toEqual([
      { sku: 'LAMP', quantity: 1, unitPrice: 30 },
      { sku: 'DESK', quantity: 2, unitPrice: 100 },
    ]);
    expect((await instance().get('c1')).status).toBe('CHECKING_OUT');
  });

  it('given a rejected checkout, when another instance handles the outcome, then the cart is open again with the reasons', async () => {
    await stock.handleStockLevelChanged(levelMessage('LAMP', 3));
    await instance().create({ cartId: 'c2', customerId: 'alice' });
    await instance().setItem('c2', 'LAMP', { quantity: 3 });
    await instance().checkout('c2');
    await instance().handleOrderOutcome(outcome('OrderRejected.v1', 'c2.1', ['LAMP: only 2 available, 3 requested']));
    const view = await instance().get('c2');
    expect(view.status).toBe('OPEN');
    expect(view.lastCheckout).toEqual({
      orderId: 'c2.1',
      status: 'REJECTED',
      reasons: ['LAMP: only 2 available, 3 requested'],
    });
  });

  it('given a SKU whose stock levels arrive without a listing, when a shopper adds it, then it is not for sale; once a level with its price arrives it can be added at that price', async () => {
    await stock.handleStockLevelChanged(stockLevelMessage('MUG', 9, '2026-01-01T00:00:00.000Z'));
    const service = instance();
    await service.create({ cartId: 'c3', customerId: 'alice' });
    await expect(service.setItem('c3', 'MUG', { quantity: 1 })).rejects.toThrow('MUG: not for sale');

    await stock.handleStockLevelChanged(
      stockLevelMessage('MUG', 9, '2026-01-01T00:00:01.000Z', undefined, { name: 'Mug', unitPrice: 9.5 }),
    );
    const view = await service.setItem('c3', 'MUG', { quantity: 2 });

    expect(view.lines).toEqual([
      { sku: 'MUG', quantity: 2, name: 'Mug', unitPrice: 9.5, lineTotal: 19, available: 9, badge: 'IN_STOCK' },
    ]);
  });

  it('given an unknown cart, when it is read, then NotFoundError', async () => {
    await expect(instance().get('nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

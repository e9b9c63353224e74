import { CheckoutRequestedV1, TOPICS } from '@stockade/contracts';
import { ManualClock, NotFoundError, StockadeError } from '@stockade/kernel';
import { CartService } from './cart-service';
import { InMemoryCartRepository } from './ports';
import type { SkuOffer } from '@stockade/cart-domain';
import { fixedOffers, orderOutcomeMessage, recordingBus, referenceTokenizer } from './testing/cart-fixtures';

const PRICES: Readonly<Record<string, number>> = { LAMP: 30, DESK: 100, PEN: 0.1 };

/** Stock levels per SKU, each listed at its price in PRICES (a SKU without one is in stock but not listed). */
function setup(stockLevels: Record<string, number>, prices: Record<string, number> = { ...PRICES }) {
  const bus = recordingBus();
  const published = bus.published;
  // Read at each call, so a test can change a price between steps as an operator would.
  const offerOf = (sku: string): SkuOffer | undefined => {
    const available = stockLevels[sku];
    if (available === undefined) return undefined;
    const unitPrice = prices[sku];
    return unitPrice === undefined ? { available } : { available, name: sku.toLowerCase(), unitPrice };
  };
  const stock = { offers: async (skus: readonly string[]) => new Map(skus.map((sku) => [sku, offerOf(sku)])) };
  const service = new CartService({
    carts: new InMemoryCartRepository(),
    stock,
    bus,
    payments: referenceTokenizer,
    clock: new ManualClock(),
  });
  return { service, published, prices };
}

const outcome = orderOutcomeMessage;

describe('the cart service', () => {
  it('given stock levels, when the cart is viewed, then every line shows its availability badge', async () => {
    const { service } = setup({ LAMP: 3, DESK: 50 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 1 });
    const view = await service.setItem('c1', 'DESK', { quantity: 2 });
    expect(view.lines.map((l) => [l.sku, l.available, l.badge])).toEqual([
      ['LAMP', 3, 'LIMITED'],
      ['DESK', 50, 'IN_STOCK'],
    ]);
    expect(view.total).toBe(230);
  });

  it('given a cart, when the view is read, then each line shows the catalog name and price now, and the total is summed exactly (3 × 0.10 is 0.30)', async () => {
    const { service, prices } = setup({ LAMP: 9, PEN: 50 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 1 });
    await service.setItem('c1', 'PEN', { quantity: 3 });
    prices.LAMP = 31.5; // the operator changed the price since

    const view = await service.get('c1');

    expect(view.lines.map(({ sku, name, unitPrice, lineTotal }) => ({ sku, name, unitPrice, lineTotal }))).toEqual([
      { sku: 'LAMP', name: 'lamp', unitPrice: 31.5, lineTotal: 31.5 },
      { sku: 'PEN', name: 'pen', unitPrice: 0.1, lineTotal: 0.3 },
    ]);
    expect(view.total).toBe(31.8);
  });

  it('given a SKU in stock that is not listed, when a shopper adds it, then it is refused as not for sale and the cart stays empty', async () => {
    const { service } = setup({ LAMP: 3, SECRET: 10 });
    await service.create({ cartId: 'c1', customerId: 'alice' });

    await expect(service.setItem('c1', 'SECRET', { quantity: 1 })).rejects.toThrow(
      'SECRET: not for sale (no price in the catalog)',
    );
    await expect(service.setItem('c1', 'NEVER-HEARD-OF', { quantity: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await service.get('c1')).lines).toEqual([]);
  });

  it('given a shopper who sends a price with the line (a client of the old API), when the line is set, then the price is ignored and the checkout carries the catalog price', async () => {
    const { service, published } = setup({ LAMP: 3 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 2, unitPrice: 0.01 } as { quantity: number });

    expect((await service.get('c1')).total).toBe(60);
    await service.checkout('c1');
    expect(CheckoutRequestedV1.parse(published[0]?.message.value).data.lines).toEqual([
      { sku: 'LAMP', quantity: 2, unitPrice: 30 },
    ]);
  });

  it('given a price change after the line was added, when the cart checks out, then the checkout carries the price at checkout', async () => {
    const { service, published, prices } = setup({ LAMP: 3 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 1 });
    prices.LAMP = 27.99;

    await service.checkout('c1');

    expect(CheckoutRequestedV1.parse(published[0]?.message.value).data.lines).toEqual([
      { sku: 'LAMP', quantity: 1, unitPrice: 27.99 },
    ]);
  });

  it('given an unknown cart, when it is read, then NotFoundError', async () => {
    const { service } = setup({});
    await expect(service.get('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('given a filled cart, when it checks out with a payment token, then one valid CheckoutRequested.v1 is published keyed by the checkout id, with the gateway reference and never the token', async () => {
    const { service, published } = setup({ LAMP: 3 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 2 });
    const { orderId } = await service.checkout('c1', 'tok_secret_4242');
    expect(orderId).toBe('c1.1');
    expect(published).toHaveLength(1);
    expect(published[0]?.topic).toBe(TOPICS.checkoutRequested);
    expect(published[0]?.message.key).toBe('c1.1');
    const envelope = CheckoutRequestedV1.parse(published[0]?.message.value);
    expect(envelope.data).toEqual({
      checkoutId: 'c1.1',
      customerId: 'alice',
      lines: [{ sku: 'LAMP', quantity: 2, unitPrice: 30 }],
      paymentRef: await referenceTokenizer.tokenize('tok_secret_4242'),
    });
    expect(JSON.stringify(published)).not.toContain('tok_secret_4242');
  });

  it('given a cart of one customer, when a cart with its id is created for the same customer, then it is that cart; for another customer, then a conflict naming cartId', async () => {
    const { service } = setup({ LAMP: 3 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 2 });
    await expect(service.create({ cartId: 'c1', customerId: 'alice' })).resolves.toMatchObject({
      cartId: 'c1',
      customerId: 'alice',
      lines: [{ sku: 'LAMP', quantity: 2 }],
    });
    await expect(service.create({ cartId: 'c1', customerId: 'bob' })).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [{ field: 'cartId', message: 'already used for another customer' }],
    });
    await expect(service.create({ cartId: 'c1' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('given a gateway that cannot exchange the token, when the cart checks out, then the failure is retriable and nothing is published', async () => {
    const bus = recordingBus();
    const stock = fixedOffers({ LAMP: { available: 5, unitPrice: 30 } });
    const service = new CartService({
      carts: new InMemoryCartRepository(),
      stock,
      bus,
      payments: { tokenize: async () => Promise.reject(new Error('gateway down')) },
      clock: new ManualClock(),
    });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 1 });
    await expect(service.checkout('c1', 'tok')).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(bus.published).toEqual([]);
    expect((await service.get('c1')).status).toBe('OPEN');
  });

  it('given a checkout that inventory rejected, when the outcome arrives, then the cart is open again with the reasons', async () => {
    const { service } = setup({ LAMP: 3 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 3 });
    await service.checkout('c1');
    await service.handleOrderOutcome(outcome('OrderRejected.v1', 'c1.1', ['LAMP: only 2 available, 3 requested']));
    const view = await service.get('c1');
    expect(view.status).toBe('OPEN');
    expect(view.lastCheckout).toEqual({
      orderId: 'c1.1',
      status: 'REJECTED',
      reasons: ['LAMP: only 2 available, 3 requested'],
    });
    expect(view.lines).toHaveLength(1);
  });

  it('given a completed checkout, when the outcome arrives twice, then the cart is completed once and stays so', async () => {
    const { service } = setup({ LAMP: 3 });
    await service.create({ cartId: 'c1', customerId: 'alice' });
    await service.setItem('c1', 'LAMP', { quantity: 1 });
    await service.checkout('c1');
    await service.handleOrderOutcome(outcome('OrderCompleted.v1', 'c1.1'));
    await service.handleOrderOutcome(outcome('OrderCompleted.v1', 'c1.1'));
    expect((await service.get('c1')).status).toBe('COMPLETED');
  });

  it('given an order outcome for a checkout that no cart made, then it is ignored', async () => {
    const { service } = setup({});
    await expect(service.handleOrderOutcome(outcome('OrderCompleted.v1', 'upstream-42'))).resolves.toBeUndefined();
  });

  it('given another instance saved the cart in between, when a line is set, then the change is applied again to the fresh cart and both edits survive', async () => {
    const repository = new InMemoryCartRepository();
    const bus = recordingBus();
    const stock = fixedOffers({ LAMP: { available: 5, unitPrice: 30 }, DESK: { available: 5, unitPrice: 100 } });
    const service = new CartService({
      carts: repository,
      stock,
      bus,
      payments: referenceTokenizer,
      clock: new ManualClock(),
    });
    await service.create({ cartId: 'race', customerId: 'alice' });
    const realSave = repository.save.bind(repository);
    let interfered = false;
    repository.save = async (cart) => {
      if (!interfered) {
        interfered = true;
        const current = (await repository.find('race'))!;
        await realSave({ ...current, lines: [{ sku: 'DESK', quantity: 1 }] }); // the other instance's edit
        throw new StockadeError('CONFLICT', 'cart race was saved by another writer', { retriable: true });
      }
      return realSave(cart);
    };

    const view = await service.setItem('race', 'LAMP', { quantity: 2 });

    expect(view.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['DESK', 1],
      ['LAMP', 2],
    ]);
  });
});

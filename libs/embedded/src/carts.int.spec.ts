import { startTestSystem } from './testing/test-system';

describe('shopping with a cart in the embedded system', () => {
  let sut: Awaited<ReturnType<typeof startTestSystem>>;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sut.system.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    sut = await startTestSystem();
    await sut.client.setListing('CART-LAMP', { name: 'Desk lamp', unitPrice: 39 });
    await sut.client.receiveStock('CART-LAMP', 2);
    await sut.client.setListing('CART-DESK', { name: 'Oak desk', unitPrice: 250 });
    await sut.client.receiveStock('CART-DESK', 20);
    await sut.client.receiveStock('CART-UNLISTED', 9);
  });
  afterAll(() => sut.stop());

  it('given 2 lamps in stock, when a shopper asks for 3, then 409 "only 2 available", and the cart shows badges and catalog prices per line', async () => {
    await call('POST', '/carts', { cartId: 'cart-a', customerId: 'frank' });

    const tooMany = await call('PUT', '/carts/cart-a/items/CART-LAMP', { quantity: 3 });
    await call('PUT', '/carts/cart-a/items/CART-LAMP', { quantity: 2 });
    const cart = await call('PUT', '/carts/cart-a/items/CART-DESK', { quantity: 1 });

    expect(tooMany).toMatchObject({ status: 409, body: { message: 'CART-LAMP: only 2 available, 3 requested' } });
    expect(cart.body.lines).toEqual([
      {
        sku: 'CART-LAMP',
        quantity: 2,
        name: 'Desk lamp',
        unitPrice: 39,
        lineTotal: 78,
        available: 2,
        badge: 'LIMITED',
      },
      {
        sku: 'CART-DESK',
        quantity: 1,
        name: 'Oak desk',
        unitPrice: 250,
        lineTotal: 250,
        available: 20,
        badge: 'IN_STOCK',
      },
    ]);
    expect(cart.body.total).toBe(328);
  });

  it('given a shopper who sends a price for a line, then 400 names unitPrice and the cart is unchanged; a SKU that is not listed is 409 not for sale', async () => {
    const priced = await call('PUT', '/carts/cart-a/items/CART-LAMP', { quantity: 1, unitPrice: 0.01 });
    const unlisted = await call('PUT', '/carts/cart-a/items/CART-UNLISTED', { quantity: 1 });

    expect(priced).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'unitPrice', message: 'is not accepted: prices come from the catalog' }] },
    });
    expect(unlisted).toMatchObject({
      status: 409,
      body: { message: 'CART-UNLISTED: not for sale (no price in the catalog)' },
    });
    expect((await call('GET', '/carts/cart-a')).body).toMatchObject({
      total: 328,
      lines: [
        { sku: 'CART-LAMP', quantity: 2 },
        { sku: 'CART-DESK', quantity: 1 },
      ],
    });
  });

  it('given a filled cart, when it checks out, then the order completes and the cart is closed', async () => {
    const { body } = await call('POST', '/carts/cart-a/checkout', {});
    const order = await sut.client.waitForTerminal(body.orderId);

    expect(order).toMatchObject({ orderId: 'cart-a.1', status: 'COMPLETED', total: 328 });
    const cart = await eventuallyCart('cart-a', (c) => c.status === 'COMPLETED');
    expect(cart.lastCheckout).toEqual({ orderId: 'cart-a.1', status: 'COMPLETED', reasons: [] });
  });

  it('given a cart whose stock was sold meanwhile, when it checks out, then the order is rejected and the cart reopens with the reason for the shopper to fix', async () => {
    await call('POST', '/carts', { cartId: 'cart-b', customerId: 'gina' });
    await call('PUT', '/carts/cart-b/items/CART-DESK', { quantity: 19 });
    await sut.client.checkout({
      checkoutId: 'rival',
      customerId: 'rival',
      lines: [{ sku: 'CART-DESK', quantity: 5, unitPrice: 250 }],
    });
    await sut.client.waitForTerminal('rival');

    const { body } = await call('POST', '/carts/cart-b/checkout', {});
    const order = await sut.client.waitForTerminal(body.orderId);
    const cart = await eventuallyCart('cart-b', (c) => c.status === 'OPEN');

    expect(order).toMatchObject({ status: 'REJECTED', reasons: ['CART-DESK: only 14 available, 19 requested'] });
    expect(cart.lastCheckout).toMatchObject({
      status: 'REJECTED',
      reasons: ['CART-DESK: only 14 available, 19 requested'],
    });
    expect(cart.lines[0]).toMatchObject({ sku: 'CART-DESK', quantity: 19, available: 14 });
  });

  it('given the operator changes a price while a cart is open, when it checks out, then the cart shows the new price and the order is paid at it', async () => {
    await call('POST', '/carts', { cartId: 'cart-d', customerId: 'hal' });
    await call('PUT', '/carts/cart-d/items/CART-DESK', { quantity: 3 });
    await sut.client.setListing('CART-DESK', { name: 'Oak desk', unitPrice: 0.1 });

    expect((await call('GET', '/carts/cart-d')).body).toMatchObject({
      lines: [{ sku: 'CART-DESK', unitPrice: 0.1, lineTotal: 0.3 }],
      total: 0.3,
    });
    const { body } = await call('POST', '/carts/cart-d/checkout', {});
    const order = await sut.client.waitForTerminal(body.orderId);

    expect(order).toMatchObject({
      status: 'COMPLETED',
      lines: [{ sku: 'CART-DESK', quantity: 3, unitPrice: 0.1 }],
      total: 0.3,
    });
  });

  it('given an empty cart, when it checks out, then 400 names lines; an unknown cart is 404', async () => {
    await call('POST', '/carts', { cartId: 'cart-c' });
    expect(await call('POST', '/carts/cart-c/checkout', {})).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'lines' }] },
    });
    expect((await call('GET', '/carts/nope')).status).toBe(404);
  });

  async function eventuallyCart(cartId: string, accept: (cart: Record<string, any>) => boolean) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { body } = await call('GET', `/carts/${cartId}`);
      if (accept(body) || Date.now() > deadline) return body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});

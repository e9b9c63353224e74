import { startTestSystem } from './testing/test-system';

describe('shopping with a cart in the embedded system', () => {
  let sut: Awaited<ReturnType<typeof startTestSystem>>;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sut.system.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    sut = await startTestSystem();
    await sut.client.receiveStock('CART-LAMP', 2);
    await sut.client.receiveStock('CART-DESK', 20);
  });
  afterAll(() => sut.stop());

  it('given 2 lamps in stock, when a shopper asks for 3, then 409 "only 2 available", and the cart shows badges per line', async () => {
    await call('POST', '/carts', { cartId: 'cart-a', customerId: 'frank' });

    const tooMany = await call('PUT', '/carts/cart-a/items/CART-LAMP', { quantity: 3, unitPrice: 39 });
    await call('PUT', '/carts/cart-a/items/CART-LAMP', { quantity: 2, unitPrice: 39 });
    const cart = await call('PUT', '/carts/cart-a/items/CART-DESK', { quantity: 1, unitPrice: 250 });

    expect(tooMany).toMatchObject({ status: 409, body: { message: 'CART-LAMP: only 2 available, 3 requested' } });
    expect(cart.body.lines).toEqual([
      { sku: 'CART-LAMP', quantity: 2, unitPrice: 39, available: 2, badge: 'LIMITED' },
      { sku: 'CART-DESK', quantity: 1, unitPrice: 250, available: 20, badge: 'IN_STOCK' },
    ]);
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
    await call('PUT', '/carts/cart-b/items/CART-DESK', { quantity: 19, unitPrice: 250 });
    await sut.client.checkout({ checkoutId: 'rival', customerId: 'rival', lines: [{ sku: 'CART-DESK', quantity: 5, unitPrice: 250 }] });
    await sut.client.waitForTerminal('rival');

    const { body } = await call('POST', '/carts/cart-b/checkout', {});
    const order = await sut.client.waitForTerminal(body.orderId);
    const cart = await eventuallyCart('cart-b', (c) => c.status === 'OPEN');

    expect(order).toMatchObject({ status: 'REJECTED', reasons: ['CART-DESK: only 14 available, 19 requested'] });
    expect(cart.lastCheckout).toMatchObject({ status: 'REJECTED', reasons: ['CART-DESK: only 14 available, 19 requested'] });
    expect(cart.lines[0]).toMatchObject({ sku: 'CART-DESK', quantity: 19, available: 14 });
  });

  it('given an empty cart, when it checks out, then 400 names lines; an unknown cart is 404', async () => {
    await call('POST', '/carts', { cartId: 'cart-c' });
    expect(await call('POST', '/carts/cart-c/checkout', {})).toMatchObject({ status: 400, body: { issues: [{ field: 'lines' }] } });
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

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NotFoundError, StockadeError } from '@stockade/kernel';
import { createHttpApp } from './create-http-app';
import type { HttpApiDependencies } from './http-api.module';

const lamp = { sku: 'LAMP', onHand: 10, reserved: 2, available: 8, status: 'IN_STOCK' as const };
/** What the inventory facade was last asked to list. */
const listQueries: unknown[] = [];
/** What the inventory facade was asked to list in the catalog. */
const listings: unknown[] = [];
const catalogQueries: unknown[] = [];

function dependencies(overrides: Partial<HttpApiDependencies> = {}): HttpApiDependencies {
  const placed: string[] = [];
  return {
    orders: {
      placeOrder: async (request) => (placed.push(request.checkoutId), { orderId: request.checkoutId }),
      getOrder: async (orderId) =>
        orderId === 'known'
          ? { orderId, customerId: 'alice', status: 'PENDING', lines: [], reasons: [], total: 0 }
          : undefined,
      cancelOrder: async (orderId) => {
        if (orderId !== 'known') throw new NotFoundError('order', orderId);
      },
    },
    inventory: {
      getStock: async (sku) => (sku === 'LAMP' ? lamp : undefined),
      receiveStock: async (sku, quantity) => ({
        ...lamp,
        sku,
        onHand: lamp.onHand + quantity,
        available: lamp.available + quantity,
      }),
      adjustStock: async (sku) => ({ ...lamp, sku }),
      listStock: async (query) => (listQueries.push(query), { items: [lamp], next: 'LAMP' }),
      configureStock: async (sku) => ({ ...lamp, sku }),
      setListing: async (sku, listing) => (listings.push([sku, listing]), { ...lamp, sku, ...listing }),
      listCatalog: async (query) => (
        catalogQueries.push(query),
        { items: [{ sku: 'LAMP', name: 'Desk lamp', unitPrice: 39.5, available: 8, status: 'IN_STOCK' }] }
      ),
      listReplenishment: async () => ({ items: [] }),
    },
    carts: {
      create: async () => ({
        cartId: 'c1',
        customerId: 'guest',
        status: 'OPEN',
        lines: [],
        total: 0,
        checkoutAttempts: 0,
        updatedAt: '',
      }),
      get: async (cartId) => {
        throw new NotFoundError('cart', cartId);
      },
      setItem: async () => {
        throw new NotFoundError('cart', 'c1');
      },
      removeItem: async () => {
        throw new NotFoundError('cart', 'c1');
      },
      checkout: async (cartId) => ({ orderId: `${cartId}.1` }),
    },
    readiness: { check: async () => ({ ready: true, details: { store: 'ok' } }) },
    access: { operatorToken: 'op-secret' },
    ...overrides,
  };
}

describe('the public HTTP API', () => {
  let app: NestFastifyApplication;
  const validCheckout = {
    checkoutId: 'chk-1',
    customerId: 'alice',
    lines: [{ sku: 'LAMP', quantity: 2, unitPrice: 19.5 }],
  };

  beforeAll(async () => {
    app = await createHttpApp(dependencies(), { logger: false, bodyLimitBytes: 4096 });
  });
  afterAll(() => app.close());

  const inject = (options: Parameters<NestFastifyApplication['inject']>[0]) => app.inject(options as never);

  it('given a valid checkout, when it is posted, then 202 with the order id (= checkout id)', async () => {
    const response = await inject({ method: 'POST', url: '/checkouts', payload: validCheckout });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ orderId: 'chk-1' });
  });

  it('given the operator token, when the inventory is listed by status, then the facade gets the parsed statuses and page size', async () => {
    const response = await inject({
      method: 'GET',
      url: '/inventory?status=LIMITED,OUT_OF_STOCK&limit=2&after=DESK',
      headers: { authorization: 'Bearer op-secret' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [lamp], next: 'LAMP' });
    expect(listQueries.at(-1)).toEqual({ status: ['LIMITED', 'OUT_OF_STOCK'], limit: 2, after: 'DESK' });
  });

  it('given no operator token, when the inventory is listed, then 401', async () => {
    expect((await inject({ method: 'GET', url: '/inventory' })).statusCode).toBe(401);
  });

  it.each([
    ['status=LIMITED,LOW', 'status.1'],
    ['limit=5000', 'limit'],
    ['limit=two', 'limit'],
  ])('given ?%s, when the inventory is listed, then 400 names %s', async (search, field) => {
    const response = await inject({
      method: 'GET',
      url: `/inventory?${search}`,
      headers: { authorization: 'Bearer op-secret' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(response.json().message).toContain(`${field}: must be`);
  });

  it('given a line with quantity 0, when it is posted, then 400 names lines.0.quantity', async () => {
    const response = await inject({
      method: 'POST',
      url: '/checkouts',
      payload: { ...validCheckout, lines: [{ sku: 'LAMP', quantity: 0, unitPrice: 1 }] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'VALIDATION_FAILED',
      issues: [{ field: 'lines.0.quantity', message: 'must be at least 1' }],
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['without a price', { sku: 'LAMP', quantity: 1 }, 'is required: a price in major units, e.g. 39.5'],
    ['of price 0', { sku: 'LAMP', quantity: 1, unitPrice: 0 }, 'must be more than 0'],
    ['of three decimals', { sku: 'LAMP', quantity: 1, unitPrice: 19.999 }, 'must have at most 2 decimal places'],
  ])(
    'given a second line %s, when the checkout is posted, then 400 names lines.1.unitPrice and nothing is placed',
    async (_case, line, message) => {
      const response = await inject({
        method: 'POST',
        url: '/checkouts',
        payload: {
          ...validCheckout,
          checkoutId: 'no-price',
          lines: [{ sku: 'DESK', quantity: 1, unitPrice: 150 }, line],
        },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: 'VALIDATION_FAILED',
        issues: [{ field: 'lines.1.unitPrice', message }],
      });
    },
  );

  it('given a batch with a checkout whose line has no price, when it is posted, then that checkout alone is a 400 naming lines.0.unitPrice', async () => {
    const response = await inject({
      method: 'POST',
      url: '/checkouts',
      payload: [validCheckout, { ...validCheckout, checkoutId: 'chk-free', lines: [{ sku: 'LAMP', quantity: 1 }] }],
    });
    expect(response.statusCode).toBe(207);
    expect(response.json().results).toEqual([
      { index: 0, status: 202, orderId: 'chk-1' },
      expect.objectContaining({
        index: 1,
        status: 400,
        issues: [{ field: 'lines.0.unitPrice', message: 'is required: a price in major units, e.g. 39.5' }],
      }),
    ]);
  });

  it('given a shopper who sends a price for a cart line, then 400 names unitPrice: prices come from the catalog', async () => {
    const response = await inject({
      method: 'PUT',
      url: '/carts/c1/items/LAMP',
      payload: { quantity: 1, unitPrice: 0.01 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      issues: [{ field: 'unitPrice', message: 'is not accepted: prices come from the catalog' }],
    });
  });

  it('given no operator token, when a SKU is listed, then 401; with it, then the facade gets the parsed listing and the view comes back', async () => {
    expect(
      (await inject({ method: 'PUT', url: '/catalog/LAMP', payload: { name: 'Desk lamp', unitPrice: 39.5 } }))
        .statusCode,
    ).toBe(401);
    const ok = await inject({
      method: 'PUT',
      url: '/catalog/LAMP',
      payload: { name: ' Desk lamp ', unitPrice: 39.5 },
      headers: { authorization: 'Bearer op-secret' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ sku: 'LAMP', name: 'Desk lamp', unitPrice: 39.5 });
    expect(listings.at(-1)).toEqual(['LAMP', { name: 'Desk lamp', unitPrice: 39.5 }]);
  });

  it.each([
    [{ name: 'Desk lamp', unitPrice: 0 }, 'unitPrice'],
    [{ name: 'Desk lamp', unitPrice: 1.001 }, 'unitPrice'],
    [{ name: '', unitPrice: 5 }, 'name'],
    [{ name: 'Desk lamp', unitPrice: 5, available: 1_000 }, 'available'],
  ])('given the listing %j, when an operator sets it, then 400 names %s', async (payload, field) => {
    const response = await inject({
      method: 'PUT',
      url: '/catalog/LAMP',
      payload,
      headers: { authorization: 'Bearer op-secret' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((issue: { field: string }) => issue.field)).toEqual([field]);
  });

  it('given no token, when a shopper reads the catalog a page at a time, then 200 with the listed SKUs and the facade gets the parsed page', async () => {
    const response = await inject({ method: 'GET', url: '/catalog?limit=20&after=DESK' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [{ sku: 'LAMP', name: 'Desk lamp', unitPrice: 39.5, available: 8, status: 'IN_STOCK' }],
    });
    expect(catalogQueries.at(-1)).toEqual({ limit: 20, after: 'DESK' });
    expect((await inject({ method: 'GET', url: '/catalog?limit=0' })).statusCode).toBe(400);
  });

  it('given a body without customerId and with an unknown field, then 400 names both', async () => {
    const { customerId: _omitted, ...rest } = validCheckout;
    const response = await inject({ method: 'POST', url: '/checkouts', payload: { ...rest, coupon: 'X' } });
    expect(response.statusCode).toBe(400);
    const fields = (response.json().issues as { field: string }[]).map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['customerId']));
    expect(JSON.stringify(response.json())).toContain('coupon');
  });

  it('given more lines than allowed, then 400 names lines', async () => {
    const lines = Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1, unitPrice: 1 }));
    const app2 = await createHttpApp(dependencies(), { logger: false });
    const response = await app2.inject({ method: 'POST', url: '/checkouts', payload: { ...validCheckout, lines } });
    await app2.close();
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].field).toBe('lines');
  });

  it('given a body over the size limit, then 413', async () => {
    const response = await inject({
      method: 'POST',
      url: '/checkouts',
      payload: { ...validCheckout, paymentToken: 'x'.repeat(5000) },
    });
    expect(response.statusCode).toBe(413);
  });

  it('given malformed JSON, then 400', async () => {
    const response = await inject({
      method: 'POST',
      url: '/checkouts',
      payload: '{"checkoutId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
  });

  it('given an unknown order, then 404; a known one, then 200', async () => {
    expect((await inject({ method: 'GET', url: '/orders/nope' })).statusCode).toBe(404);
    expect((await inject({ method: 'GET', url: '/orders/known' })).json()).toMatchObject({
      orderId: 'known',
      status: 'PENDING',
    });
  });

  it('given a sku with a slash-free but invalid character, then 400 names sku', async () => {
    const response = await inject({ method: 'GET', url: '/inventory/bad%20sku' });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].field).toBe('sku');
  });

  it('given no operator token, when stock is received, then 401; with it, then 201', async () => {
    expect(
      (await inject({ method: 'POST', url: '/inventory/LAMP/receipts', payload: { quantity: 5 } })).statusCode,
    ).toBe(401);
    expect(
      (
        await inject({
          method: 'POST',
          url: '/inventory/LAMP/receipts',
          payload: { quantity: 5 },
          headers: { authorization: 'Bearer wrong' },
        })
      ).statusCode,
    ).toBe(401);
    const ok = await inject({
      method: 'POST',
      url: '/inventory/LAMP/receipts',
      payload: { quantity: 5 },
      headers: { authorization: 'Bearer op-secret' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ onHand: 15 });
  });

  it('given a configured API token, when a shopper endpoint is called without it, then 401; liveness stays open and readiness takes the operator token', async () => {
    const closed = await createHttpApp(dependencies({ access: { operatorToken: 'op', apiToken: 'shop' } }), {
      logger: false,
    });
    expect((await closed.inject({ method: 'GET', url: '/inventory/LAMP' })).statusCode).toBe(401);
    expect(
      (await closed.inject({ method: 'GET', url: '/inventory/LAMP', headers: { authorization: 'Bearer shop' } }))
        .statusCode,
    ).toBe(200);
    expect((await closed.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect(
      (await closed.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer op' } })).statusCode,
    ).toBe(200);
    await closed.close();
  });

  it('given an overloaded order pipeline, when a checkout is posted, then 503 with Retry-After', async () => {
    const busy = await createHttpApp(
      dependencies({
        orders: {
          ...dependencies().orders!,
          placeOrder: async () => {
            throw new StockadeError('UNAVAILABLE', 'more than 5000 orders are in flight; retry this checkout shortly', {
              retriable: true,
            });
          },
        },
      }),
      { logger: false },
    );
    const response = await busy.inject({ method: 'POST', url: '/checkouts', payload: validCheckout });
    await busy.close();
    expect([response.statusCode, response.headers['retry-after']]).toEqual([503, '1']);
    expect(response.json()).toMatchObject({ error: 'UNAVAILABLE' });
  });

  it('given a store that does not answer, then health is 503', async () => {
    const sick = await createHttpApp(
      dependencies({ readiness: { check: async () => ({ ready: false, details: { store: 'down' } }) } }),
      { logger: false },
    );
    expect((await sick.inject({ method: 'GET', url: '/health' })).statusCode).toBe(503);
    await sick.close();
  });

  it('then Swagger UI is served at /docs with its assets, and unknown assets are 404', async () => {
    const page = await inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/docs/openapi.json');
    const bundle = await inject({ method: 'GET', url: '/docs/assets/swagger-ui-bundle.js' });
    expect([bundle.statusCode, bundle.headers['content-type']]).toEqual([200, 'application/javascript; charset=utf-8']);
    expect((await inject({ method: 'GET', url: '/docs/assets/..%2Fpackage.json' })).statusCode).toBe(404);
  });

  it('then the OpenAPI document is served under /docs', async () => {
    const response = await inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().paths)).toEqual(
      expect.arrayContaining([
        '/checkouts',
        '/orders/{orderId}',
        '/inventory/{sku}',
        '/carts/{cartId}/checkout',
        '/catalog',
        '/catalog/{sku}',
      ]),
    );
  });
});

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CheckoutRequest, OrderView } from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
import { createHttpApp } from './create-http-app';
import type { AccessPolicy } from '@stockade/api';
import type { HttpApiDependencies } from './http-api.module';

const OPERATOR = 'operator-token-0123456789';
const WEB = 'web-channel-token-0123456789';
const POS = 'pos-channel-token-0123456789';

function dependencies(rateLimits?: AccessPolicy['rateLimits']): HttpApiDependencies {
  const orders = new Map<string, OrderView>();
  const levels = { sku: 'LAMP', onHand: 10, reserved: 0, available: 10, status: 'IN_STOCK' as const };
  return {
    orders: {
      placeOrder: async (request: CheckoutRequest) => {
        orders.set(request.checkoutId, {
          orderId: request.checkoutId,
          customerId: request.customerId,
          status: 'PENDING',
          lines: request.lines,
          reasons: [],
          total: 0,
        });
        return { orderId: request.checkoutId };
      },
      getOrder: async (orderId) => orders.get(orderId),
      cancelOrder: async (orderId) => {
        if (!orders.has(orderId)) throw new NotFoundError('order', orderId);
      },
    },
    inventory: {
      getStock: async () => levels,
      receiveStock: async () => levels,
      adjustStock: async () => levels,
      configureStock: async () => levels,
      setListing: async () => levels,
      listStock: async () => ({ items: [levels] }),
      listCatalog: async () => ({ items: [] }),
      listReplenishment: async () => ({ items: [] }),
    },
    readiness: { check: async () => ({ ready: true, details: {} }) },
    access: {
      operatorToken: OPERATOR,
      channelTokens: new Map([
        [WEB, 'web'],
        [POS, 'pos'],
      ]),
      ...(rateLimits ? { rateLimits } : {}),
    },
  };
}

const checkout = (checkoutId: string, customerId: string) => ({
  checkoutId,
  customerId,
  lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 3 }],
});

describe('roles: upstream tokens per channel', () => {
  let app: NestFastifyApplication;
  const call = (method: string, url: string, token?: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload }),
    } as never);

  beforeAll(async () => {
    app = await createHttpApp(dependencies(), { logger: false });
    await call('POST', '/checkouts', WEB, checkout('web-order', 'web:ann'));
    await call('POST', '/checkouts', POS, checkout('pos-order', 'pos:bob'));
  });
  afterAll(() => app.close());

  it('given the web token, when it places a checkout for its own customer, then 202; for a customer of another channel, then 403 naming customerId', async () => {
    expect((await call('POST', '/checkouts', WEB, checkout('web-2', 'web:cid'))).statusCode).toBe(202);
    const refused = await call('POST', '/checkouts', WEB, checkout('web-3', 'pos:bob'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'FORBIDDEN', issues: [{ field: 'customerId' }] });
  });

  it('given the web token, when it reads or cancels an order of the pos channel, then it is unknown (404), while its own is read (broken object-level authorization)', async () => {
    expect((await call('GET', '/orders/web-order', WEB)).statusCode).toBe(200);
    expect((await call('GET', '/orders/pos-order', WEB)).statusCode).toBe(404);
    expect((await call('POST', '/orders/pos-order/cancel', WEB)).statusCode).toBe(404);
    expect((await call('GET', '/orders/pos-order', POS)).statusCode).toBe(200);
    // The operator reads every order, by its stored id (the channel's checkout id under its prefix, ADR 0021).
    expect((await call('GET', '/orders/pos:pos-order', OPERATOR)).statusCode).toBe(200);
  });

  it('given an upstream token, when it asks for anything operator (receive, adjust, policies, the inventory list), then 401', async () => {
    expect((await call('POST', '/inventory/LAMP/receipts', WEB, { quantity: 1 })).statusCode).toBe(401);
    expect((await call('POST', '/inventory/LAMP/adjustments', WEB, { delta: -1, reason: 'x' })).statusCode).toBe(401);
    expect(
      (
        await call('PUT', '/inventory/LAMP/settings', WEB, {
          lowStockThreshold: 1,
          reorderPoint: null,
          reorderQuantity: null,
        })
      ).statusCode,
    ).toBe(401);
    expect((await call('GET', '/inventory', WEB)).statusCode).toBe(401);
  });

  it('given upstream tokens are configured, when a shopper endpoint is called without a token or with a wrong one, then 401', async () => {
    expect((await call('GET', '/orders/web-order')).statusCode).toBe(401);
    expect((await call('GET', '/orders/web-order', 'web-channel-token-0123456780')).statusCode).toBe(401);
  });
});

describe('limits: a rate per caller', () => {
  let app: NestFastifyApplication;
  const call = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} } as never);

  beforeAll(async () => {
    app = await createHttpApp(dependencies({ token: { perSecond: 1, burst: 3 } }), { logger: false });
  });
  afterAll(() => app.close());

  it('given a burst of 3 at 1 a second, when a token sends 4 requests at once, then the 4th is 429 with Retry-After, while another token and the operator are still served', async () => {
    const answers = [];
    for (let request = 0; request < 4; request++) answers.push(await call('/inventory/LAMP', WEB));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[3]?.headers['retry-after']).toBe('1');
    expect(answers[3]?.json()).toMatchObject({ error: 'RATE_LIMITED' });
    expect((await call('/inventory/LAMP', POS)).statusCode).toBe(200);
    for (let request = 0; request < 5; request++) expect((await call('/inventory', OPERATOR)).statusCode).toBe(200);
  });
});

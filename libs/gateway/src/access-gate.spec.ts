import type { CheckoutRequest, OrderView } from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
import { connect, Socket } from 'node:net';
import { createHttpApp, HttpAppOptions } from './create-http-app';
import type { AccessPolicy } from '@stockade/api';
import type { HttpApiDependencies } from './http-api.module';

const OPERATOR = 'operator-token-0123456789';
const WEB = 'web-channel-token-0123456789';
const API = 'api-token-0123456789abcdef';
const METRICS = 'metrics-token-0123456789ab';

/** Facades that record what reached them, so a refused request is seen to change nothing. */
function system(access: Partial<AccessPolicy> = {}) {
  const placed: string[] = [];
  const cancelled: string[] = [];
  const removed: string[] = [];
  const orders = new Map<string, OrderView>([
    ['known', { orderId: 'known', customerId: 'web:ann', status: 'PENDING', lines: [], reasons: [], total: 0 }],
  ]);
  const cart = {
    cartId: 'c1',
    customerId: 'guest',
    status: 'OPEN' as const,
    lines: [],
    total: 0,
    checkoutAttempts: 0,
    updatedAt: '',
  };
  const dependencies: HttpApiDependencies = {
    orders: {
      placeOrder: async (request: CheckoutRequest) => (
        placed.push(request.checkoutId),
        { orderId: request.checkoutId }
      ),
      getOrder: async (orderId) => orders.get(orderId),
      cancelOrder: async (orderId) => {
        if (!orders.has(orderId)) throw new NotFoundError('order', orderId);
        cancelled.push(orderId);
      },
    },
    carts: {
      create: async () => cart,
      get: async () => cart,
      setItem: async () => cart,
      removeItem: async (_cartId, sku) => (removed.push(sku), cart),
      checkout: async (cartId) => ({ orderId: `${cartId}.1` }),
    },
    readiness: { check: async () => ({ ready: true, details: {} }) },
    metrics: {
      contentType: 'text/plain',
      render: async () => 'stockade_orders_terminal_total{status="COMPLETED"} 3\n',
    },
    access: { operatorToken: OPERATOR, ...access },
  };
  return { dependencies, placed, cancelled, removed };
}

const checkout = (checkoutId: string) => ({
  checkoutId,
  customerId: 'web:ann',
  lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 3 }],
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function appOf(access: Partial<AccessPolicy> = {}, options: HttpAppOptions = {}) {
  const sut = system(access);
  const app = await createHttpApp(sut.dependencies, { logger: false, ...options });
  const inject = (options: Record<string, unknown>) => app.inject(options as never);
  return { ...sut, app, inject };
}

describe('the CSRF-safe rule: a state-changing request must be JSON', () => {
  let sut: Awaited<ReturnType<typeof appOf>>;
  beforeAll(async () => (sut = await appOf()));
  afterAll(() => sut.app.close());

  it.each([
    ['an urlencoded form', 'application/x-www-form-urlencoded', 'orderId=known'],
    ['a text/plain form', 'text/plain', '{"x":1}'],
    [
      'a multipart form',
      'multipart/form-data; boundary=x',
      '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    ],
  ])(
    'given %s posted to cancel an order (what a cross-site form can send), then 415 naming application/json and the order is not cancelled',
    async (_case, contentType, payload) => {
      const answer = await sut.inject({
        method: 'POST',
        url: '/orders/known/cancel',
        headers: { 'content-type': contentType },
        payload,
      });
      expect(answer.statusCode).toBe(415);
      expect(answer.json()).toMatchObject({
        error: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringContaining('application/json'),
      });
      expect(sut.cancelled).toEqual([]);
    },
  );

  it('given a text/plain checkout or a cancel with no content type at all, then 415 and nothing is placed or cancelled', async () => {
    expect(
      (
        await sut.inject({
          method: 'POST',
          url: '/checkouts',
          headers: { 'content-type': 'text/plain' },
          payload: JSON.stringify(checkout('form-1')),
        })
      ).statusCode,
    ).toBe(415);
    expect((await sut.inject({ method: 'POST', url: '/orders/known/cancel' })).statusCode).toBe(415);
    expect((await sut.inject({ method: 'DELETE', url: '/carts/c1/items/LAMP' })).statusCode).toBe(415);
    expect([sut.placed, sut.cancelled, sut.removed]).toEqual([[], [], []]);
  });

  it('given NDJSON sent to a route that takes no batches, then 415; to POST /checkouts, then it is a batch', async () => {
    expect(
      (
        await sut.inject({
          method: 'PUT',
          url: '/carts/c1/items/LAMP',
          headers: { 'content-type': 'application/x-ndjson' },
          payload: '{"quantity":1}',
        })
      ).statusCode,
    ).toBe(415);
    const batch = await sut.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify(checkout('nd-1')),
    });
    expect(batch.statusCode).toBe(207);
  });

  it('given content-type: application/json and an empty body, when an order is cancelled or a cart line removed, then both are done (202, 200)', async () => {
    const cancel = await sut.inject({
      method: 'POST',
      url: '/orders/known/cancel',
      headers: { 'content-type': 'application/json' },
    });
    expect([cancel.statusCode, cancel.json()]).toEqual([202, { orderId: 'known' }]);
    const remove = await sut.inject({
      method: 'DELETE',
      url: '/carts/c1/items/LAMP',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(remove.statusCode).toBe(200);
    expect([sut.cancelled, sut.removed]).toEqual([['known'], ['LAMP']]);
  });
});

describe('rate limits: a batch is charged per checkout', () => {
  let sut: Awaited<ReturnType<typeof appOf>>;
  beforeAll(
    async () =>
      (sut = await appOf({
        channelTokens: new Map([[WEB, 'web']]),
        rateLimits: { token: { perSecond: 0.001, burst: 5 } },
      })),
  );
  afterAll(() => sut.app.close());

  it('given a budget of 5, when the web token posts a batch of 3 and then single checkouts, then the batch cost 3: two more pass and the next is 429', async () => {
    const batch = await sut.inject({
      method: 'POST',
      url: '/checkouts',
      headers: bearer(WEB),
      payload: [checkout('b-1'), checkout('b-2'), checkout('b-3')],
    });
    expect(batch.json()).toMatchObject({ accepted: 3, refused: 0 });
    const singles = [];
    for (const id of ['s-1', 's-2', 's-3'])
      singles.push(
        (await sut.inject({ method: 'POST', url: '/checkouts', headers: bearer(WEB), payload: checkout(id) }))
          .statusCode,
      );
    expect(singles).toEqual([202, 202, 429]);
    // A channel's checkout ids are stored in its namespace (ADR 0021).
    expect(sut.placed).toEqual(['web:b-1', 'web:b-2', 'web:b-3', 'web:s-1', 'web:s-2']);
  });
});

describe('rate limits: the items of a batch past the budget', () => {
  let sut: Awaited<ReturnType<typeof appOf>>;
  beforeAll(
    async () =>
      (sut = await appOf({
        channelTokens: new Map([[WEB, 'web']]),
        rateLimits: { token: { perSecond: 0.001, burst: 4 } },
      })),
  );
  afterAll(() => sut.app.close());

  it('given a budget of 4, when a batch of 6 arrives, then the first 4 are placed and the last 2 answered 429 in the results, not placed', async () => {
    const batch = await sut.inject({
      method: 'POST',
      url: '/checkouts',
      headers: bearer(WEB),
      payload: ['o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6'].map(checkout),
    });
    expect(batch.statusCode).toBe(207);
    expect(batch.json()).toMatchObject({ accepted: 4, refused: 2 });
    expect(batch.json().results.slice(4)).toEqual([
      expect.objectContaining({ index: 4, status: 429, error: 'RATE_LIMITED' }),
      expect.objectContaining({ index: 5, status: 429, error: 'RATE_LIMITED' }),
    ]);
    expect(sut.placed).toEqual(['web:o-1', 'web:o-2', 'web:o-3', 'web:o-4']);
    // Nothing left: the next batch is refused whole, before its body is read.
    expect(
      (await sut.inject({ method: 'POST', url: '/checkouts', headers: bearer(WEB), payload: [checkout('o-7')] }))
        .statusCode,
    ).toBe(429);
  });
});

describe('rate limits: callers without a token, by address, and trusted proxies', () => {
  const anonymousAtTwo = { rateLimits: { anonymous: { perSecond: 0.001, burst: 2 } } };
  const fromProxy = (client: string) => ({
    method: 'GET',
    url: '/docs/openapi.json',
    remoteAddress: '10.0.0.5',
    headers: { 'x-forwarded-for': client },
  });

  it('given the proxy 10.0.0.5 is trusted, when two clients behind it call, then each has its own budget', async () => {
    const sut = await appOf(anonymousAtTwo, { trustedProxies: ['10.0.0.0/8'] });
    const first = [];
    for (let call = 0; call < 3; call++) first.push((await sut.inject(fromProxy('203.0.113.1'))).statusCode);
    const second = (await sut.inject(fromProxy('203.0.113.2'))).statusCode;
    await sut.app.close();
    expect([first, second]).toEqual([[200, 200, 429], 200]);
  });

  it('given no trusted proxy, when callers name other clients in X-Forwarded-For, then it is ignored: they share the address budget', async () => {
    const sut = await appOf(anonymousAtTwo);
    const answers = [];
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      answers.push((await sut.inject(fromProxy(client))).statusCode);
    await sut.app.close();
    expect(answers).toEqual([200, 200, 429]);
  });

  it('given a proxy not on the trusted list, then its X-Forwarded-For is ignored too', async () => {
    const sut = await appOf(anonymousAtTwo, { trustedProxies: ['192.168.1.1'] });
    const answers = [];
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      answers.push((await sut.inject(fromProxy(client))).statusCode);
    await sut.app.close();
    expect(answers).toEqual([200, 200, 429]);
  });

  it('given the budget spent, then /health/live still answers (probes are never limited)', async () => {
    const sut = await appOf(anonymousAtTwo);
    for (let call = 0; call < 3; call++) await sut.inject({ method: 'GET', url: '/docs/openapi.json' });
    const live = await sut.inject({ method: 'GET', url: '/health/live' });
    const docs = await sut.inject({ method: 'GET', url: '/docs/openapi.json' });
    await sut.app.close();
    expect([live.statusCode, docs.statusCode]).toEqual([200, 429]);
  });
});

describe('monitoring: /metrics and readiness once the deployment is closed', () => {
  const get = (sut: Awaited<ReturnType<typeof appOf>>, url: string, token?: string) =>
    sut.inject({ method: 'GET', url, headers: token ? bearer(token) : {} }).then((answer) => answer.statusCode);

  it('given an API token and a metrics token, then /metrics and /health/ready answer 401 without a token, 200 with the metrics or the operator token; /health/live stays open', async () => {
    const sut = await appOf({ apiToken: API, metricsToken: METRICS });
    const statuses = {
      metrics: [
        await get(sut, '/metrics'),
        await get(sut, '/metrics', API),
        await get(sut, '/metrics', METRICS),
        await get(sut, '/metrics', OPERATOR),
      ],
      ready: [
        await get(sut, '/health/ready'),
        await get(sut, '/health'),
        await get(sut, '/health/ready', METRICS),
        await get(sut, '/health/ready', OPERATOR),
      ],
      live: await get(sut, '/health/live'),
    };
    await sut.app.close();
    expect(statuses).toEqual({ metrics: [401, 401, 200, 200], ready: [401, 401, 200, 200], live: 200 });
  });

  it('given the metrics token, when it asks for an order or anything operator, then 401: it reads monitoring only', async () => {
    const sut = await appOf({ apiToken: API, metricsToken: METRICS });
    const statuses = [await get(sut, '/orders/known', METRICS), await get(sut, '/orders/known', API)];
    await sut.app.close();
    expect(statuses).toEqual([401, 200]);
  });

  it('given upstream tokens only, then /metrics needs a token too', async () => {
    const sut = await appOf({ channelTokens: new Map([[WEB, 'web']]) });
    const statuses = [
      await get(sut, '/metrics'),
      await get(sut, '/metrics', WEB),
      await get(sut, '/metrics', OPERATOR),
    ];
    await sut.app.close();
    expect(statuses).toEqual([401, 401, 200]);
  });

  it('given no shopper token but a process listening beyond loopback, then /metrics needs a token; on loopback without tokens it is open', async () => {
    const exposed = await appOf({ exposed: true });
    const local = await appOf({ exposed: false });
    const statuses = [
      await get(exposed, '/metrics'),
      await get(exposed, '/health/ready'),
      await get(exposed, '/orders/known'),
      await get(local, '/metrics'),
      await get(local, '/health/ready'),
    ];
    await Promise.all([exposed.app.close(), local.app.close()]);
    expect(statuses).toEqual([401, 401, 200, 200, 200]);
  });
});

describe('connections per address', () => {
  /** A socket that has connected; `closedByServer` resolves true when the server ends it before it sent anything. */
  async function open(port: number): Promise<{ socket: Socket; closedByServer: Promise<boolean> }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const closedByServer = new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true));
      socket.once('error', () => resolve(true));
      setTimeout(() => resolve(false), 500);
    });
    return { socket, closedByServer };
  }

  async function listening(options: HttpAppOptions) {
    const sut = await appOf({}, options);
    await sut.app.listen({ port: 0, host: '127.0.0.1' });
    return { ...sut, port: (sut.app.getHttpServer().address() as { port: number }).port };
  }

  it('given a cap of 3, when one address opens a 4th connection, then the server closes it at once; once one of the 3 closes, a new one is served', async () => {
    const refused: number[] = [];
    const sut = await listening({ maxConnectionsPerAddress: 3, onConnectionRefused: () => refused.push(1) });
    const held = await Promise.all([open(sut.port), open(sut.port), open(sut.port)]);
    const fourth = await open(sut.port);
    const outcome = {
      fourthClosed: await fourth.closedByServer,
      heldClosed: await Promise.all(held.map((connection) => connection.closedByServer)),
      refused: refused.length,
    };
    fourth.socket.destroy();
    held[0]?.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = (
      await fetch(`http://127.0.0.1:${sut.port}/health/live`, { signal: AbortSignal.timeout(2_000) }).catch(
        () => undefined,
      )
    )?.status;
    for (const connection of held) connection.socket.destroy();
    await sut.app.close();
    expect({ ...outcome, served }).toEqual({
      fourthClosed: true,
      heldClosed: [false, false, false],
      refused: 1,
      served: 200,
    });
  });

  it('given a cap of 1 and the address a trusted proxy, when it opens 3 connections, then none is closed (a proxy carries many clients)', async () => {
    const sut = await listening({ maxConnectionsPerAddress: 1, trustedProxies: ['loopback'] });
    const connections = await Promise.all([open(sut.port), open(sut.port), open(sut.port)]);
    const closed = await Promise.all(connections.map((connection) => connection.closedByServer));
    for (const connection of connections) connection.socket.destroy();
    await sut.app.close();
    expect(closed).toEqual([false, false, false]);
  });
});

import { PostgresEventStore } from '@stockade/event-store/postgres';
import { DistributedStack, KAFKA_BROKERS, POSTGRES_URL } from '../../../tools/client/distributed-stack';

jest.setTimeout(180_000);

/**
 * ADR 0021 through the gateway: it runs the same controllers as the embedded runner and forwards to
 * the services with the operator token, so channel namespaces, the 409 on a reused id and the
 * payment token exchange hold in the distributed mode too (Kafka, PostgreSQL, Redis).
 */
const WEB = 'web-channel-token-0123456789';
const POS = 'pos-channel-token-0123456789';
const TOKEN = 'tok_6011111111111117_gateway_secret';

type Answer = { status: number; body: Record<string, any> };

describe('sales channels through the gateway of the distributed system', () => {
  let stack: DistributedStack;
  /** Carts live in the machine's Redis, beyond one run: each run's cart ids are its own. */
  let cart: string;
  const call = async (token: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${stack.gateway.url}${path}`, {
      method,
      // Every state-changing request is JSON, with a body or without (the CSRF-safe rule, ADR 0024).
      headers: {
        authorization: `Bearer ${token}`,
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const checkout = (checkoutId: string, customerId: string, quantity = 1) => ({
    checkoutId,
    customerId,
    lines: [{ sku: 'GW-LAMP', quantity, unitPrice: 10 }],
  });
  async function ended(token: string, orderId: string): Promise<Answer> {
    for (
      const deadline = Date.now() + 60_000;
      Date.now() < deadline;
      await new Promise((resolve) => setTimeout(resolve, 100))
    ) {
      const answer = await call(token, 'GET', `/orders/${orderId}`);
      if (answer.status === 200 && answer.body.status !== 'PENDING') return answer;
    }
    throw new Error(`order ${orderId} did not end`);
  }

  beforeAll(async () => {
    stack = new DistributedStack(POSTGRES_URL, {}, KAFKA_BROKERS, {
      gatewayEnv: { STOCKADE_UPSTREAM_TOKENS: `web=${WEB},pos=${POS}` },
    });
    await stack.start();
    await stack.client().receiveStock('GW-LAMP', 20);
    await stack.client().setListing('GW-LAMP', { name: 'Gateway lamp', unitPrice: 10 });
    cart = `c-${stack.id}`;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("given web claims pos's checkout id first, when pos places its real checkout, then pos's order completes and web reads none of it", async () => {
    expect(await call(WEB, 'POST', '/checkouts', checkout('pos-chk-2', 'web:ann'))).toMatchObject({
      status: 202,
      body: { orderId: 'web:pos-chk-2' },
    });
    expect(await call(POS, 'POST', '/checkouts', checkout('pos-chk-2', 'pos:bob', 2))).toMatchObject({
      status: 202,
      body: { orderId: 'pos:pos-chk-2' },
    });
    expect((await ended(POS, 'pos-chk-2')).body).toMatchObject({
      orderId: 'pos:pos-chk-2',
      customerId: 'pos:bob',
      status: 'COMPLETED',
    });
    expect((await call(WEB, 'GET', '/orders/pos:pos-chk-2')).status).toBe(404);
    expect((await call(WEB, 'POST', '/orders/pos:pos-chk-2/cancel')).status).toBe(404);
  });

  it('given a placed checkout, when the same channel repeats its id with other lines, then 409 naming checkoutId reaches the caller through the gateway', async () => {
    await call(WEB, 'POST', '/checkouts', checkout('rep-1', 'web:ann'));
    expect(await call(WEB, 'POST', '/checkouts', checkout('rep-1', 'web:ann', 3))).toMatchObject({
      status: 409,
      body: { error: 'CONFLICT', issues: [{ field: 'checkoutId' }] },
    });
  });

  it("given web's cart, when pos reaches for it, then 404; when web opens a cart for pos's customer, then 403; a cart id taken by another customer, then 409 naming cartId", async () => {
    expect(await call(WEB, 'POST', '/carts', { cartId: cart, customerId: 'web:ann' })).toMatchObject({
      status: 201,
      body: { cartId: `web:${cart}` },
    });
    expect((await call(POS, 'GET', `/carts/web:${cart}`)).status).toBe(404);
    expect((await call(POS, 'PUT', `/carts/web:${cart}/items/GW-LAMP`, { quantity: 1 })).status).toBe(404);
    expect(await call(WEB, 'POST', '/carts', { cartId: `${cart}-2`, customerId: 'pos:bob' })).toMatchObject({
      status: 403,
      body: { issues: [{ field: 'customerId' }] },
    });
    expect(await call(WEB, 'POST', '/carts', { cartId: cart, customerId: 'web:eve' })).toMatchObject({
      status: 409,
      body: { issues: [{ field: 'cartId' }] },
    });
  });

  it('given a cart checked out with a payment token through the gateway, when the order completes, then no order event in PostgreSQL holds the token', async () => {
    // The cart service learns stock levels from inventory.stock-levels: it may not have this SKU's yet.
    let filled = await call(WEB, 'PUT', `/carts/${cart}/items/GW-LAMP`, { quantity: 1 });
    for (
      const deadline = Date.now() + 30_000;
      filled.status === 409 && Date.now() < deadline;
      await new Promise((resolve) => setTimeout(resolve, 200))
    ) {
      filled = await call(WEB, 'PUT', `/carts/${cart}/items/GW-LAMP`, { quantity: 1 });
    }
    expect(filled).toMatchObject({ status: 200 });
    expect(await call(WEB, 'POST', `/carts/${cart}/checkout`, { paymentToken: TOKEN })).toMatchObject({
      status: 202,
      body: { orderId: `web:${cart}.1` },
    });
    expect((await ended(WEB, `${cart}.1`)).body).toMatchObject({ status: 'COMPLETED' });
    const store = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema: stack.schemas.ordering });
    try {
      const stored = JSON.stringify(await store.readAll({ after: 0, limit: 1_000 }));
      expect(stored).toContain(`web:${cart}.1`);
      expect(stored).not.toContain(TOKEN);
    } finally {
      await store.close();
    }
  });
});

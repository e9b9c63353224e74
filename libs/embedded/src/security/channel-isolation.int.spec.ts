import { startTestSystem, OPERATOR_TOKEN } from '../testing/test-system';
import { eventually } from '../testing/eventually';

/**
 * Issue 20, "Secure by default", problems 1 and 3 (ADR 0021): each attack of a sales channel on
 * another's customers, carts and orders, on the embedded system with two upstream channels and an
 * API token (a caller without a channel, in the shared namespace).
 */
const WEB = 'web-channel-token-0123456789';
const POS = 'pos-channel-token-0123456789';
const API = 'api-token-without-a-channel-0123';

jest.setTimeout(120_000);

type Answer = { status: number; body: Record<string, any> };

describe('sales channels are isolated (carts, orders, ids)', () => {
  let sut: Awaited<ReturnType<typeof startTestSystem>>;
  const call = async (token: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${sut.system.url}${path}`, {
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
    lines: [{ sku: 'SEC-LAMP', quantity, unitPrice: 10 }],
  });
  const terminal = (token: string, orderId: string) =>
    eventually(
      () => call(token, 'GET', `/orders/${orderId}`),
      (answer) => answer.status === 200 && answer.body.status !== 'PENDING',
      `order ${orderId} to end`,
    );

  beforeAll(async () => {
    sut = await startTestSystem({ STOCKADE_UPSTREAM_TOKENS: `web=${WEB},pos=${POS}`, STOCKADE_API_TOKEN: API });
    await sut.client.receiveStock('SEC-LAMP', 100);
    // Carts sell only what the catalog lists (ADR 0022).
    await sut.client.setListing('SEC-LAMP', { name: 'Security lamp', unitPrice: 10 });
  });
  afterAll(() => sut.stop());

  describe('carts', () => {
    beforeAll(async () => {
      expect(await call(WEB, 'POST', '/carts', { cartId: 'c1', customerId: 'web:ann' })).toMatchObject({
        status: 201,
        body: { cartId: 'web:c1', customerId: 'web:ann' },
      });
      expect((await call(WEB, 'PUT', '/carts/c1/items/SEC-LAMP', { quantity: 1 })).status).toBe(200);
    });

    it("given the web token, when it opens a cart for pos's customer (the issue's attack), then 403 naming customerId, and no order can follow", async () => {
      const refused = await call(WEB, 'POST', '/carts', { customerId: 'pos:bob', cartId: 'attack-1' });
      expect(refused).toMatchObject({ status: 403, body: { error: 'FORBIDDEN', issues: [{ field: 'customerId' }] } });
      expect((await call(WEB, 'PUT', '/carts/attack-1/items/SEC-LAMP', { quantity: 2 })).status).toBe(404);
      expect((await call(WEB, 'POST', '/carts/attack-1/checkout', {})).status).toBe(404);
    });

    it("given web's cart, when pos reads, changes, empties or checks it out by any name, then 404 each time and the cart is unchanged", async () => {
      for (const name of ['c1', 'web:c1']) {
        expect((await call(POS, 'GET', `/carts/${name}`)).status).toBe(404);
        expect((await call(POS, 'PUT', `/carts/${name}/items/SEC-LAMP`, { quantity: 5 })).status).toBe(404);
        expect((await call(POS, 'DELETE', `/carts/${name}/items/SEC-LAMP`)).status).toBe(404);
        expect((await call(POS, 'POST', `/carts/${name}/checkout`, {})).status).toBe(404);
      }
      expect((await call(API, 'GET', '/carts/web:c1')).status).toBe(404);
      expect(await call(WEB, 'GET', '/carts/c1')).toMatchObject({
        status: 200,
        body: { cartId: 'web:c1', status: 'OPEN', lines: [{ sku: 'SEC-LAMP', quantity: 1 }] },
      });
    });

    it("given web's cart c1, when pos creates a cart c1, then it gets a cart of its own (pos:c1, pos:guest), never web's", async () => {
      expect(await call(POS, 'POST', '/carts', { cartId: 'c1' })).toMatchObject({
        status: 201,
        body: { cartId: 'pos:c1', customerId: 'pos:guest', lines: [] },
      });
      expect(await call(POS, 'POST', '/carts', { cartId: 'web:c1' })).toMatchObject({
        status: 201,
        body: { cartId: 'pos:web:c1', lines: [] },
      });
    });

    it('given a cart of one customer, when the same channel creates its id again for that customer, then the cart; for another customer, then 409 naming cartId', async () => {
      expect(await call(WEB, 'POST', '/carts', { cartId: 'c1', customerId: 'web:ann' })).toMatchObject({
        status: 201,
        body: { cartId: 'web:c1', lines: [{ sku: 'SEC-LAMP' }] },
      });
      expect(await call(WEB, 'POST', '/carts', { cartId: 'c1', customerId: 'web:eve' })).toMatchObject({
        status: 409,
        body: { error: 'CONFLICT', issues: [{ field: 'cartId' }] },
      });
      expect((await call(WEB, 'POST', '/carts', { cartId: 'c1' })).status).toBe(409);
    });

    it("given a caller without a channel (the API token), when it names a channel's cart id or customer on create, then 403 naming the field", async () => {
      expect(await call(API, 'POST', '/carts', { cartId: 'web:c9' })).toMatchObject({
        status: 403,
        body: { issues: [{ field: 'cartId' }] },
      });
      expect(await call(API, 'POST', '/carts', { customerId: 'web:ann' })).toMatchObject({
        status: 403,
        body: { issues: [{ field: 'customerId' }] },
      });
      expect(await call(API, 'POST', '/carts', { cartId: 'shared-1' })).toMatchObject({
        status: 201,
        body: { cartId: 'shared-1', customerId: 'guest' },
      });
    });
  });

  describe('orders', () => {
    it("given pos's order, when web reads or cancels it by any name, then 404, exactly as for an id nobody used", async () => {
      expect(await call(POS, 'POST', '/checkouts', checkout('chk-2', 'pos:bob'))).toMatchObject({
        status: 202,
        body: { orderId: 'pos:chk-2' },
      });
      const never = await call(WEB, 'GET', '/orders/never-used');
      for (const name of ['pos:chk-2', 'chk-2']) {
        const read = await call(WEB, 'GET', `/orders/${name}`);
        expect({ status: read.status, error: read.body.error }).toEqual({
          status: never.status,
          error: never.body.error,
        });
        expect(read.status).toBe(404);
        expect((await call(WEB, 'POST', `/orders/${name}/cancel`)).status).toBe(404);
      }
      expect((await call(API, 'GET', '/orders/pos:chk-2')).status).toBe(404);
      expect(await call(POS, 'GET', '/orders/chk-2')).toMatchObject({
        status: 200,
        body: { orderId: 'pos:chk-2', customerId: 'pos:bob' },
      });
      expect((await call(POS, 'GET', '/orders/pos:chk-2')).status).toBe(200);
    });

    it("given web claims pos's checkout ids first (pos-chk-2, pos:chk-3), when pos places its real checkouts, then they are accepted and complete; web's claims are web's own orders", async () => {
      expect(await call(WEB, 'POST', '/checkouts', checkout('pos-chk-2', 'web:ann'))).toMatchObject({
        status: 202,
        body: { orderId: 'web:pos-chk-2' },
      });
      expect(await call(WEB, 'POST', '/checkouts', checkout('pos:chk-3', 'web:ann'))).toMatchObject({
        status: 202,
        body: { orderId: 'web:pos:chk-3' },
      });

      expect(await call(POS, 'POST', '/checkouts', checkout('pos-chk-2', 'pos:bob', 2))).toMatchObject({
        status: 202,
        body: { orderId: 'pos:pos-chk-2' },
      });
      expect(await call(POS, 'POST', '/checkouts', checkout('chk-3', 'pos:bob', 3))).toMatchObject({
        status: 202,
        body: { orderId: 'pos:chk-3' },
      });
      expect((await terminal(POS, 'pos-chk-2')).body).toMatchObject({
        orderId: 'pos:pos-chk-2',
        customerId: 'pos:bob',
        status: 'COMPLETED',
        lines: [{ quantity: 2 }],
      });
      expect((await terminal(POS, 'chk-3')).body).toMatchObject({
        customerId: 'pos:bob',
        status: 'COMPLETED',
        lines: [{ quantity: 3 }],
      });
      expect((await call(WEB, 'GET', '/orders/pos-chk-2')).body).toMatchObject({
        orderId: 'web:pos-chk-2',
        customerId: 'web:ann',
      });
    });

    it("given web claims the checkout ids of pos's cart (<cartId>.1 by both names), when pos checks its cart out, then the order is pos's and completes", async () => {
      expect((await call(POS, 'POST', '/carts', { cartId: 'pc1', customerId: 'pos:bob' })).status).toBe(201);
      expect((await call(POS, 'PUT', '/carts/pc1/items/SEC-LAMP', { quantity: 1 })).status).toBe(200);
      expect((await call(WEB, 'POST', '/checkouts', checkout('pc1.1', 'web:ann'))).status).toBe(202);
      expect((await call(WEB, 'POST', '/checkouts', checkout('pos:pc1.1', 'web:ann'))).status).toBe(202);

      expect(await call(POS, 'POST', '/carts/pc1/checkout', {})).toMatchObject({
        status: 202,
        body: { orderId: 'pos:pc1.1' },
      });
      expect((await terminal(POS, 'pc1.1')).body).toMatchObject({
        orderId: 'pos:pc1.1',
        customerId: 'pos:bob',
        status: 'COMPLETED',
      });
      await eventually(
        () => call(POS, 'GET', '/carts/pc1'),
        (cart) => cart.body.status === 'COMPLETED',
        'the cart to close',
      );
    });

    it("given an id pos used and one nobody used, when web checks out with either, then both are 202 for web's own order: the answer tells nothing of pos's ids", async () => {
      await call(POS, 'POST', '/checkouts', checkout('probe-used', 'pos:bob'));
      const used = await call(WEB, 'POST', '/checkouts', checkout('probe-used', 'web:ann'));
      const unused = await call(WEB, 'POST', '/checkouts', checkout('probe-unused', 'web:ann'));
      expect([used.status, unused.status]).toEqual([202, 202]);
      expect([used.body.orderId, unused.body.orderId]).toEqual(['web:probe-used', 'web:probe-unused']);
    });

    it('given a placed checkout, when it is repeated identically, then 202 with the same order; with another customer or other lines, then 409 naming checkoutId', async () => {
      const first = await call(WEB, 'POST', '/checkouts', checkout('rep-1', 'web:ann'));
      expect(await call(WEB, 'POST', '/checkouts', checkout('rep-1', 'web:ann'))).toEqual(first);
      expect(await call(WEB, 'POST', '/checkouts', checkout('web:rep-1', 'web:ann'))).toEqual(first);
      expect(await call(WEB, 'POST', '/checkouts', checkout('rep-1', 'web:eve'))).toMatchObject({
        status: 409,
        body: { error: 'CONFLICT', issues: [{ field: 'checkoutId' }] },
      });
      expect(await call(WEB, 'POST', '/checkouts', checkout('rep-1', 'web:ann', 5))).toMatchObject({
        status: 409,
        body: { issues: [{ field: 'checkoutId' }] },
      });
      expect((await call(WEB, 'GET', '/orders/rep-1')).body).toMatchObject({
        customerId: 'web:ann',
        lines: [{ quantity: 1 }],
      });
    });

    it("given a caller without a channel, when it names a channel's checkout id or customer, then 403 naming the field; a checkout id too long once qualified is 400", async () => {
      expect(await call(API, 'POST', '/checkouts', checkout('pos:chk-9', 'shared-cust'))).toMatchObject({
        status: 403,
        body: { issues: [{ field: 'checkoutId' }] },
      });
      expect(await call(API, 'POST', '/checkouts', checkout('chk-9', 'pos:bob'))).toMatchObject({
        status: 403,
        body: { issues: [{ field: 'customerId' }] },
      });
      expect(await call(WEB, 'POST', '/checkouts', checkout('x'.repeat(128), 'web:ann'))).toMatchObject({
        status: 400,
        body: { issues: [{ field: 'checkoutId' }] },
      });
    });

    it('given a batch from web mixing its own checkout and one for a pos customer, then each is answered on its own: 202 for its own, 403 for the other', async () => {
      const batch = await call(WEB, 'POST', '/checkouts', [
        checkout('batch-1', 'web:ann'),
        checkout('batch-2', 'pos:bob'),
      ]);
      expect(batch).toMatchObject({
        status: 207,
        body: { accepted: 1, refused: 1, results: [{ status: 202, orderId: 'web:batch-1' }, { status: 403 }] },
      });
    });

    it('given the operator, when it reads any channel’s order by its stored id, then it is there', async () => {
      const operator = await call(OPERATOR_TOKEN, 'GET', '/orders/pos:chk-2');
      expect(operator).toMatchObject({ status: 200, body: { customerId: 'pos:bob' } });
    });
  });
});

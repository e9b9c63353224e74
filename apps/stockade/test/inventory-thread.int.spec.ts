import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { StockadeClient } from '../../../tools/client/stockade-client';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../../../tools/client/child-process-system';

jest.setTimeout(60_000);

/**
 * Jest runs the TypeScript sources, where inventory stays on the main thread; only the built app
 * can start the worker. So this test drives dist/apps/stockade/src/main.js with the thread on.
 */
describe('the built embedded app with inventory on its own thread', () => {
  let dataDir: string;
  let app: ChildProcessSystem;
  let client: StockadeClient;

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${OPERATOR_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stockade-thread-'));
    app = new ChildProcessSystem(dataDir, await freePort(), { STOCKADE_INVENTORY_THREAD: 'true' });
    client = new StockadeClient(app.url, OPERATOR_TOKEN);
    await app.start();
  });

  afterEach(async () => {
    await app.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given stock received and listed, when a cart is filled and checked out, then the order completes at the catalog price and stock is taken across the thread', async () => {
    const sku = `THREAD-${randomUUID().slice(0, 8)}`;
    expect((await call('GET', '/health')).body).toMatchObject({
      status: 'ok',
      info: { inventory: { status: 'up', thread: 'true' } },
    });
    await client.receiveStock(sku, 5);
    await client.setListing(sku, { name: 'Thread lamp', unitPrice: 12.5 });
    expect((await client.catalog()).items).toContainEqual({
      sku,
      name: 'Thread lamp',
      unitPrice: 12.5,
      available: 5,
      status: 'LIMITED',
    });

    const cart = await call('POST', '/carts', { customerId: 'c1' });
    const cartId = cart.body['cartId'] as string;
    const tooMany = await call('PUT', `/carts/${cartId}/items/${sku}`, { quantity: 6 });
    const fits = await call('PUT', `/carts/${cartId}/items/${sku}`, { quantity: 2 });
    const accepted = await call('POST', `/carts/${cartId}/checkout`, {});
    const order = await client.waitForTerminal(accepted.body['orderId'] as string, 30_000);

    expect(tooMany).toMatchObject({
      status: 409,
      body: { message: expect.stringContaining('only 5 available, 6 requested') },
    });
    expect(fits.status).toBe(200);
    expect(order).toMatchObject({ status: 'COMPLETED', total: 25 });
    expect(await client.stock(sku)).toMatchObject({
      onHand: 3,
      reserved: 0,
      available: 3,
      name: 'Thread lamp',
      unitPrice: 12.5,
    });
  });

  it('given checkouts crossing the thread, when they complete, then the internal commands and events were handed over in memory (none in messages.db) while the outcomes are in the log (ADR 0031)', async () => {
    const sku = `HANDOFF-${randomUUID().slice(0, 8)}`;
    await client.receiveStock(sku, 3);
    const orders = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (suffix) => {
        const accepted = await call('POST', '/checkouts', {
          checkoutId: `handoff-${sku}-${suffix}`,
          customerId: `c-${suffix}`,
          paymentToken: 'tok-ok',
          lines: [{ sku, quantity: 1, unitPrice: 4 }],
        });
        return client.waitForTerminal(accepted.body['orderId'] as string, 30_000);
      }),
    );
    const ready = await call('GET', '/health/ready');

    expect(orders.map((order) => order.status).sort()).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'REJECTED']);
    expect(await client.stock(sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(JSON.stringify(ready.body)).toContain('inventory.commands,inventory.events,payment.commands');
    const messages = new Database(join(dataDir, 'messages.db'), { readonly: true });
    try {
      const perTopic = new Map(
        (
          messages.prepare('SELECT topic, COUNT(*) AS n FROM bus_messages GROUP BY topic').all() as {
            topic: string;
            n: number;
          }[]
        ).map(({ topic, n }) => [topic, n]),
      );
      expect(perTopic.get('inventory.commands')).toBeUndefined();
      expect(perTopic.get('inventory.events')).toBeUndefined();
      expect(perTopic.get('payment.commands')).toBeUndefined();
      expect(perTopic.get('order.events')).toBeGreaterThanOrEqual(4);
    } finally {
      messages.close();
    }
  });

  it("given a checkout handled across the thread, when an operator scrapes /metrics, then the thread's own series (its outbox relay, its SKUs) are in the one answer", async () => {
    const sku = `THREAD-M-${randomUUID().slice(0, 8)}`;
    await client.receiveStock(sku, 2);
    const { orderId } = await client.checkout({
      checkoutId: `m-${sku}`,
      customerId: 'c1',
      paymentToken: 'tok-ok',
      lines: [{ sku, quantity: 1, unitPrice: 10 }],
    });
    await client.waitForTerminal(orderId, 30_000);

    // Stock levels are published at most every STOCKADE_STOCK_LEVEL_INTERVAL_MS (ADR 0032): the SKU's gauge follows shortly.
    let text = await client.metricsText();
    for (let tries = 0; tries < 50 && !/^stockade_skus\{status="LIMITED"\} [1-9]\d*$/m.test(text); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await client.metricsText();
    }

    expect(text).toMatch(/^stockade_outbox_relay_lag_events\{relay="inventory-outbox"\} \d+$/m);
    expect(text).toMatch(/^stockade_outbox_relay_lag_events\{relay="orders-outbox"\} \d+$/m);
    expect(text).toMatch(/^stockade_skus\{status="LIMITED"\} [1-9]\d*$/m);
    expect(text.match(/^# TYPE stockade_reservations_expired_total /gm)).toHaveLength(1);
  });

  it('given SKUs with plenty, little and no stock, when an operator lists the low ones, then the list crosses the thread with only those', async () => {
    const prefix = `LOW-${randomUUID().slice(0, 8)}`;
    await client.receiveStock(`${prefix}-A`, 50);
    await client.receiveStock(`${prefix}-B`, 2);
    await client.receiveStock(`${prefix}-C`, 1);
    await call('POST', `/inventory/${prefix}-C/adjustments`, { delta: -1, reason: 'damaged' });

    const low = await client.listStock({ status: 'LIMITED,OUT_OF_STOCK' });

    expect(low.items.map((view) => [view.sku, view.status])).toEqual([
      [`${prefix}-B`, 'LIMITED'],
      [`${prefix}-C`, 'OUT_OF_STOCK'],
    ]);
  });

  it('given operator mistakes, when they reach the inventory thread, then they answer with the same status codes and messages as in-thread', async () => {
    const sku = `THREAD-${randomUUID().slice(0, 8)}`;
    await client.receiveStock(sku, 2);

    const refused = await call('POST', `/inventory/${sku}/adjustments`, { delta: -5, reason: 'shrinkage' });
    const unknown = await call('GET', `/inventory/NO-SUCH-${sku}`);

    expect(refused).toMatchObject({ status: 409, body: { error: 'INVARIANT_VIOLATED', message: expect.any(String) } });
    expect(unknown.status).toBe(404);
    expect(await client.stock(sku)).toMatchObject({ onHand: 2, available: 2 });
  });

  it('given heap limits for the inventory thread, when the app runs, then /metrics shows that thread under them and the main thread under its own', async () => {
    await app.kill();
    app = new ChildProcessSystem(dataDir, await freePort(), {
      STOCKADE_INVENTORY_THREAD: 'true',
      STOCKADE_INVENTORY_THREAD_MAX_OLD_GENERATION_MB: '256',
      STOCKADE_INVENTORY_THREAD_MAX_YOUNG_GENERATION_MB: '16',
    });
    client = new StockadeClient(app.url, OPERATOR_TOKEN);
    await app.start();

    const text = await client.metricsText();
    const mib = (metric: string, thread: string) =>
      Number(new RegExp(`^${metric}\\{thread="${thread}"\\} (\\d+)$`, 'm').exec(text)?.[1]) / 2 ** 20;

    // V8's limit is the old generation plus the young one.
    expect(mib('stockade_thread_heap_limit_bytes', 'inventory')).toBeGreaterThanOrEqual(256);
    expect(mib('stockade_thread_heap_limit_bytes', 'inventory')).toBeLessThanOrEqual(256 + 16 + 8);
    expect(mib('stockade_thread_heap_limit_bytes', 'main')).toBeGreaterThan(256 + 16 + 8);
    expect(mib('stockade_thread_heap_used_bytes', 'inventory')).toBeGreaterThan(1);
  });

  it('given stock received, when the app is stopped with SIGTERM and started again, then the inventory thread closed cleanly and nothing was lost', async () => {
    const sku = `THREAD-${randomUUID().slice(0, 8)}`;
    await client.receiveStock(sku, 7);
    const { orderId } = await client.checkout({
      checkoutId: `thread-${sku}`,
      customerId: 'c2',
      lines: [{ sku, quantity: 3, unitPrice: 10 }],
    });
    await client.waitForTerminal(orderId, 30_000);

    await app.stop();
    await app.start();

    expect(await client.stock(sku)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  });
});

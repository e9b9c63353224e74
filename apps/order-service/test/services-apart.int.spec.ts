import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../../../tools/client/child-process-system';
import { StockadeClient } from '../../../tools/client/stockade-client';

jest.setTimeout(60_000);

describe('the three services as separate processes sharing a message log file', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-apart-'));
  const env = { STOCKADE_BUS_FILE: join(dataDir, 'messages.db') };
  let inventory: ChildProcessSystem;
  let orders: ChildProcessSystem;
  let carts: ChildProcessSystem;
  let gateway: ChildProcessSystem;

  beforeAll(async () => {
    inventory = new ChildProcessSystem(dataDir, await freePort(), env, 'inventory-service');
    orders = new ChildProcessSystem(dataDir, await freePort(), env, 'order-service');
    carts = new ChildProcessSystem(dataDir, await freePort(), env, 'cart-service');
    await Promise.all([inventory.start(), orders.start(), carts.start()]);
    gateway = new ChildProcessSystem(
      dataDir,
      await freePort(),
      { INVENTORY_SERVICE_URL: inventory.url, ORDER_SERVICE_URL: orders.url, CART_SERVICE_URL: carts.url },
      'gateway',
    );
    await gateway.start();
  });

  afterAll(async () => {
    await Promise.all([gateway.stop(), inventory.stop(), orders.stop(), carts.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given stock received on the inventory process, when checkouts go to the order process, then orders complete or are rejected across processes', async () => {
    const stock = new StockadeClient(inventory.url, OPERATOR_TOKEN);
    const shop = new StockadeClient(orders.url);
    await stock.receiveStock('APART-LAMP', 3);

    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        shop.checkout({
          checkoutId: `apart-${i}`,
          customerId: 'c',
          lines: [{ sku: 'APART-LAMP', quantity: 1, unitPrice: 10 }],
        }),
      ),
    );
    const outcomes = await Promise.all([1, 2, 3, 4].map((i) => shop.waitForTerminal(`apart-${i}`, 30_000)));

    expect(outcomes.map((o) => o.status).sort()).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'REJECTED']);
    expect(await stock.stock('APART-LAMP')).toMatchObject({ onHand: 0, reserved: 0 });
  });

  it('given stock levels and a listing published by inventory, when a shopper fills a cart on the cart process, then it sees the badge and the catalog price and checks out at it', async () => {
    await new StockadeClient(inventory.url, OPERATOR_TOKEN).receiveStock('APART-DESK', 4);
    await new StockadeClient(inventory.url, OPERATOR_TOKEN).setListing('APART-DESK', {
      name: 'Apart desk',
      unitPrice: 99.9,
    });
    const put = async () =>
      fetch(`${carts.url}/carts/cart-x/items/APART-DESK`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ quantity: 2 }),
      });
    await fetch(`${carts.url}/carts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cartId: 'cart-x' }),
    });
    let response = await put();
    for (let i = 0; i < 100 && response.status === 409; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the level travels inventory → log → cart process
      response = await put();
    }
    expect(await response.json()).toMatchObject({
      lines: [{ sku: 'APART-DESK', available: 4, badge: 'LIMITED', name: 'Apart desk', unitPrice: 99.9 }],
      total: 199.8,
    });

    const checkout = (await (
      await fetch(`${carts.url}/carts/cart-x/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { orderId: string };
    expect(await new StockadeClient(orders.url).waitForTerminal(checkout.orderId, 30_000)).toMatchObject({
      status: 'COMPLETED',
      total: 199.8,
    });
  });

  it('given the gateway in front, then the public contract answers as the embedded runner does: receipts, checkouts, orders, 400s and 404s', async () => {
    const viaGateway = new StockadeClient(gateway.url, OPERATOR_TOKEN);
    await viaGateway.receiveStock('GW-MUG', 1);
    await viaGateway.checkout({
      checkoutId: 'gw-1',
      customerId: 'c',
      lines: [{ sku: 'GW-MUG', quantity: 2, unitPrice: 5 }],
    });

    expect(await viaGateway.waitForTerminal('gw-1', 30_000)).toMatchObject({
      status: 'REJECTED',
      reasons: ['GW-MUG: only 1 available, 2 requested'],
    });
    const bad = await fetch(`${gateway.url}/checkouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        checkoutId: 'gw-2',
        customerId: 'c',
        lines: [{ sku: 'GW-MUG', quantity: -1, unitPrice: 5 }],
      }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ issues: [{ field: 'lines.0.quantity' }] });
    expect((await fetch(`${gateway.url}/orders/unknown-order`)).status).toBe(404);
    expect(
      (
        await fetch(`${gateway.url}/inventory/GW-MUG/receipts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"quantity":1}',
        })
      ).status,
    ).toBe(401);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  it('given the gateway in front, when an operator lists a SKU through it, then the listing reaches inventory and the catalog through the gateway shows it; a price of 0 is a 400 naming unitPrice', async () => {
    const viaGateway = new StockadeClient(gateway.url, OPERATOR_TOKEN);
    await viaGateway.receiveStock('GW-LAMP', 2);

    expect(await viaGateway.setListing('GW-LAMP', { name: 'Gateway lamp', unitPrice: 12.5 })).toMatchObject({
      sku: 'GW-LAMP',
      available: 2,
      name: 'Gateway lamp',
      unitPrice: 12.5,
    });
    expect((await new StockadeClient(gateway.url).catalog({ after: 'GW-A' })).items).toContainEqual({
      sku: 'GW-LAMP',
      name: 'Gateway lamp',
      unitPrice: 12.5,
      available: 2,
      status: 'LIMITED',
    });
    const zero = await fetch(`${gateway.url}/catalog/GW-LAMP`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: JSON.stringify({ name: 'Free lamp', unitPrice: 0 }),
    });
    expect([
      zero.status,
      ((await zero.json()) as { issues: { field: string }[] }).issues.map((issue) => issue.field),
    ]).toEqual([400, ['unitPrice']]);
    expect(await new StockadeClient(inventory.url).stock('GW-LAMP')).toMatchObject({
      name: 'Gateway lamp',
      unitPrice: 12.5,
    });
  });

  it('given the gateway in front, when a batch of checkouts is posted as NDJSON, then each is forwarded and answered on its own', async () => {
    const viaGateway = new StockadeClient(gateway.url, OPERATOR_TOKEN);
    await viaGateway.receiveStock('GW-BATCH', 1);
    const lines = ['gw-b1', 'gw-b2'].map((checkoutId) =>
      JSON.stringify({ checkoutId, customerId: 'c', lines: [{ sku: 'GW-BATCH', quantity: 1, unitPrice: 5 }] }),
    );

    const response = await fetch(`${gateway.url}/checkouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: [...lines, '{"checkoutId":"gw-b3"}'].join('\n'),
    });

    expect(response.status).toBe(207);
    expect(
      ((await response.json()) as { results: { status: number }[] }).results.map((result) => result.status),
    ).toEqual([202, 202, 400]);
    const outcomes = await Promise.all(['gw-b1', 'gw-b2'].map((id) => viaGateway.waitForTerminal(id, 30_000)));
    expect(outcomes.map((order) => order.status).sort()).toEqual(['COMPLETED', 'REJECTED']);
  });
});

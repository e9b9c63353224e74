import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckoutRequest, OrderView } from '@stockade/contracts';
import { StockadeClient } from '../../../tools/client/stockade-client';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../../../tools/client/child-process-system';
import { stockHistory } from '@stockade/embedded/testing';

jest.setTimeout(120_000);

async function postUntilAccepted(client: StockadeClient, checkout: CheckoutRequest): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.checkout(checkout);
      return;
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('the embedded app killed with SIGKILL and started again', () => {
  let dataDir: string;
  let app: ChildProcessSystem;
  let client: StockadeClient;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stockade-crash-'));
    app = new ChildProcessSystem(dataDir, await freePort(), {
      STOCKADE_PAYMENT_TIMEOUT_MS: '30000',
      STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS: 'true',
    });
    client = new StockadeClient(app.url, OPERATOR_TOKEN);
    await app.start();
  });

  afterEach(async () => {
    await app.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given sagas waiting on payment, when the process is killed and restarted, then every saga finishes and stock adds up', async () => {
    await client.receiveStock('CRASH-LAMP', 50);
    const checkouts = Array.from({ length: 30 }, (_, i) => ({
      checkoutId: `mid-${i}`,
      customerId: `c${i}`,
      paymentToken: i % 3 === 0 ? 'tok_ok' : 'delay:1500',
      lines: [{ sku: 'CRASH-LAMP', quantity: 1, unitPrice: 10 }],
    }));
    await Promise.all(checkouts.map((checkout) => client.checkout(checkout)));
    // Wait until reservations are held and payments are in flight, then pull the plug.
    for (let i = 0; i < 200 && (await client.stock('CRASH-LAMP')).reserved < 20; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await client.stock('CRASH-LAMP')).reserved).toBeGreaterThanOrEqual(20);
    await app.kill();

    await app.start();
    const orders = await Promise.all(checkouts.map((checkout) => client.waitForTerminal(checkout.checkoutId, 30_000)));

    expect(orders.map((order) => order.status)).toEqual(checkouts.map(() => 'COMPLETED'));
    expect(await client.stock('CRASH-LAMP')).toMatchObject({ onHand: 20, reserved: 0, available: 20 });
  });

  it('given a checkout load with limited stock, when the process is killed in the middle and publishers retry, then nothing is lost, duplicated or leaked', async () => {
    const stock = { 'KILL-A': 25, 'KILL-B': 10, 'KILL-C': 40 } as const;
    for (const [sku, quantity] of Object.entries(stock)) await client.receiveStock(sku, quantity);
    const skus = Object.keys(stock);
    const checkouts: CheckoutRequest[] = Array.from({ length: 240 }, (_, i) => ({
      checkoutId: `load-${i}`,
      customerId: `c${i}`,
      ...(i % 10 === 0 ? { paymentToken: 'decline' } : {}),
      lines: [
        { sku: skus[i % 3] as string, quantity: 1 + (i % 2), unitPrice: 10 },
        ...(i % 4 === 0 ? [{ sku: skus[(i + 1) % 3] as string, quantity: 1, unitPrice: 5 }] : []),
      ],
    }));

    const load = Promise.all(checkouts.map((checkout) => postUntilAccepted(client, checkout)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await app.kill();
    await app.start();
    await load; // publishers retry what was not acknowledged; repeats are idempotent
    const orders: OrderView[] = await Promise.all(
      checkouts.map((checkout) => client.waitForTerminal(checkout.checkoutId, 60_000)),
    );

    expect(orders.filter((order) => order.status === 'PENDING')).toEqual([]);
    for (const sku of skus) {
      const level = await client.stock(sku);
      const soldInCompletedOrders = orders
        .filter((order) => order.status === 'COMPLETED')
        .flatMap((order) => order.lines)
        .filter((line) => line.sku === sku)
        .reduce((sum, line) => sum + line.quantity, 0);
      expect({ sku, reserved: level.reserved }).toEqual({ sku, reserved: 0 });
      expect({ sku, sold: stock[sku as keyof typeof stock] - level.onHand }).toEqual({
        sku,
        sold: soldInCompletedOrders,
      });
      const history = await stockHistory(dataDir, sku);
      expect(history.filter((h) => h.onHand - h.reserved < 0)).toEqual([]);
    }
    const statuses = new Set(orders.map((order) => order.status));
    expect(statuses).toEqual(new Set(['COMPLETED', 'REJECTED', 'CANCELLED']));
  });
});

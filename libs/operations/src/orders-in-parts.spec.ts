import { shardOfSku } from '@stockade/contracts';
import { reservationKey, reservationStream } from '@stockade/inventory-service';
import { SHARDS, shardedSystem, skuOn } from './testing';
import { checkInvariants } from './invariant-check';
import { orderStory } from './order-story';

const checkout = (checkoutId: string, lines: readonly { sku: string; quantity: number }[]) => ({
  checkoutId,
  customerId: 'cust-9',
  lines: lines.map((line) => ({ ...line, unitPrice: 10 })),
  paymentToken: 'tok-visa',
});

/**
 * An order whose lines live on two inventory shards has one reservation per part,
 * `<orderId>#<shard>` (ADR 0020). The operator's tools must read those as the order's own: the
 * check must not call a committed part an orphan, and the story must tell every part.
 */
describe('the operator tools on orders in parts (ADR 0020)', () => {
  it('given an order completed on two shards, when the invariant check runs, then it finds nothing: each committed part belongs to the completed order', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(0), skuOn(3)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);
    await system.ordering.placeOrder(
      checkout('co-parts', [
        { sku: lamp, quantity: 2 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();
    expect(
      (await system.inventoryStore.readStream(reservationStream(reservationKey('co-parts', shardOfSku(lamp, SHARDS)))))
        .length,
    ).toBeGreaterThan(0);

    const report = await checkInvariants(
      {
        orders: system.orderStore,
        inventory: system.inventoryStore,
        now: () => system.clock.now(),
        paymentTimeoutMs: 10_000,
      },
      { repair: false },
    );

    expect({ ok: report.ok, findings: report.findings, orders: report.orders }).toEqual({
      ok: true,
      findings: [],
      orders: 1,
    });
  });

  it('given an order completed on two shards, when its story is told, then it holds both parts: each reservation and its commit, with the stock movements of both SKUs', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(1), skuOn(2)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);
    await system.ordering.placeOrder(
      checkout('co-story', [
        { sku: lamp, quantity: 2 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();

    const story = await orderStory({ orders: system.orderStore, inventory: system.inventoryStore }, 'co-story', 10_000);

    const inventoryEvents = story?.events.filter((event) => event.source === 'inventory') ?? [];
    expect(story?.outcome).toBe('completed');
    expect(
      new Set(inventoryEvents.map((event) => event.stream).filter((stream) => stream.startsWith('reservation'))),
    ).toEqual(
      new Set([
        reservationStream(reservationKey('co-story', shardOfSku(lamp, SHARDS))),
        reservationStream(reservationKey('co-story', shardOfSku(desk, SHARDS))),
      ]),
    );
    expect(new Set(inventoryEvents.flatMap((event) => event.skus ?? []))).toEqual(new Set([lamp, desk]));
  });

  it('given a committed part whose order is missing, when the check runs, then it names the part and the order it belongs to', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(0), skuOn(3)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);
    await system.ordering.placeOrder(
      checkout('co-orphan', [
        { sku: lamp, quantity: 1 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();

    // The same inventory log read against an empty order store: every committed part is an orphan.
    const { orderStore: emptyOrders } = await shardedSystem();
    const report = await checkInvariants(
      {
        orders: emptyOrders,
        inventory: system.inventoryStore,
        now: () => system.clock.now(),
        paymentTimeoutMs: 10_000,
      },
      { repair: false },
    );

    expect(
      report.findings
        .map((finding) => ({ kind: finding.kind, orderId: finding.orderId, checkoutId: finding.checkoutId }))
        .sort((a, b) => String(a.checkoutId).localeCompare(String(b.checkoutId))),
    ).toEqual(
      [reservationKey('co-orphan', shardOfSku(lamp, SHARDS)), reservationKey('co-orphan', shardOfSku(desk, SHARDS))]
        .sort()
        .map((checkoutId) => ({ kind: 'commit-without-completed-order', orderId: 'co-orphan', checkoutId })),
    );
  });
});

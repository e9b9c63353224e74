import { PartsAnswerDeadline } from '@stockade/ordering-service';
import { shardedSystem, skuOn } from '@stockade/operations/testing';

const checkout = (checkoutId: string, lines: readonly { sku: string; quantity: number }[]) => ({
  checkoutId,
  customerId: 'cust-7',
  lines: lines.map((line) => ({ ...line, unitPrice: 10 })),
  paymentToken: 'tok-visa',
});

describe('the order saga on a sharded inventory, two instances, in process (ADR 0020)', () => {
  it('given a checkout whose lines live on shards of both instances, when both parts are held and paid, then the order completes and each shard sold its lines', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(0), skuOn(3)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);

    await system.ordering.placeOrder(
      checkout('co-both', [
        { sku: lamp, quantity: 2 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();

    expect(await system.ordering.getOrder('co-both')).toMatchObject({ status: 'COMPLETED' });
    expect([await system.stock(lamp), await system.stock(desk)]).toMatchObject([
      { onHand: 3, reserved: 0 },
      { onHand: 4, reserved: 0 },
    ]);
  });

  it('given a checkout short on one shard, when the parts answer, then it is rejected naming that short line, and the part held on the other shard is released', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(1), skuOn(2)];
    await system.receive(lamp, 5);
    await system.receive(desk, 1);

    await system.ordering.placeOrder(
      checkout('co-short', [
        { sku: lamp, quantity: 2 },
        { sku: desk, quantity: 3 },
      ]),
    );
    await system.settle();

    expect(await system.ordering.getOrder('co-short')).toMatchObject({
      status: 'REJECTED',
      reasons: [`${desk}: only 1 available, 3 requested`],
    });
    expect([await system.stock(lamp), await system.stock(desk)]).toMatchObject([
      { onHand: 5, reserved: 0, available: 5 },
      { onHand: 1, reserved: 0, available: 1 },
    ]);
  });

  it('given a checkout short on both shards, then the rejection names both short lines in line order, as one shard would', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(3), skuOn(0)];
    await system.receive(lamp, 1);
    await system.receive(desk, 1);

    await system.ordering.placeOrder(
      checkout('co-both-short', [
        { sku: lamp, quantity: 2 },
        { sku: desk, quantity: 4 },
      ]),
    );
    await system.settle();

    expect(await system.ordering.getOrder('co-both-short')).toMatchObject({
      status: 'REJECTED',
      reasons: [`${lamp}: only 1 available, 2 requested`, `${desk}: only 1 available, 4 requested`],
    });
  });

  it('given 60 checkouts racing for two SKUs on shards of different instances, some spanning both, then each SKU sells exactly its stock, none goes below zero, and no unit stays reserved', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(0), skuOn(2)];
    await system.receive(lamp, 20);
    await system.receive(desk, 20);
    const orders = Array.from({ length: 60 }, (_, n) =>
      checkout(
        `co-race-${n}`,
        n % 3 === 0
          ? [
              { sku: lamp, quantity: 1 },
              { sku: desk, quantity: 1 },
            ]
          : [{ sku: n % 3 === 1 ? lamp : desk, quantity: 1 }],
      ),
    );

    await Promise.all(orders.map((order) => system.ordering.placeOrder(order)));
    await system.settle();

    const views = await Promise.all(orders.map((order) => system.ordering.getOrder(order.checkoutId)));
    expect(views.every((view) => view?.status === 'COMPLETED' || view?.status === 'REJECTED')).toBe(true);
    const sold = (sku: string) =>
      views
        .filter((view) => view?.status === 'COMPLETED')
        .reduce(
          (sum, view) =>
            sum +
            (view?.lines.filter((line) => line.sku === sku).reduce((units, line) => units + line.quantity, 0) ?? 0),
          0,
        );
    expect([sold(lamp), sold(desk)]).toEqual([20, 20]);
    expect([await system.stock(lamp), await system.stock(desk)]).toMatchObject([
      { onHand: 0, reserved: 0 },
      { onHand: 0, reserved: 0 },
    ]);
  });

  it('given a checkout whose second shard has no owner, when the answer deadline passes, then the order is rejected naming the lines held up, the held part is released, and the part decided later is not held either', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(0), skuOn(3)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);
    system.unowned.add(3);
    await system.ordering.placeOrder(
      checkout('co-orphaned-part', [
        { sku: lamp, quantity: 2 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();
    expect(await system.stock(lamp)).toMatchObject({ reserved: 2 });

    system.clock.advance(29_000);
    expect(await system.partsAnswerDeadline?.runDue()).toBe(0);
    system.clock.advance(1_000);
    expect(await system.partsAnswerDeadline?.runDue()).toBe(1);
    await system.settle();

    expect(await system.ordering.getOrder('co-orphaned-part')).toMatchObject({
      status: 'REJECTED',
      reasons: [`${desk}: not decided, inventory shard 3 did not answer within 30 s`],
    });
    expect(await system.stock(lamp)).toMatchObject({ onHand: 5, reserved: 0 });
    // The shard gets an owner again: its late reserve meets the release that overtook it, and holds nothing.
    system.unowned.delete(3);
    await system.settle();
    expect(await system.stock(desk)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(await system.ordering.getOrder('co-orphaned-part')).toMatchObject({ status: 'REJECTED' });
    expect(system.partsAnswerDeadline?.waitingOrders()).toEqual([]);
  });

  it('given orders in parts answered in time, then the deadline reports nothing, and a new deadline timer built from the log knows no order waiting', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(1), skuOn(2)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);
    await system.ordering.placeOrder(
      checkout('co-in-time', [
        { sku: lamp, quantity: 1 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();

    system.clock.advance(60_000);

    expect(await system.partsAnswerDeadline?.runDue()).toBe(0);
    expect(await system.ordering.getOrder('co-in-time')).toMatchObject({ status: 'COMPLETED' });
  });

  it('given an order in parts waiting on a shard with no owner, when the order service restarts, then the deadline timer rebuilt from the log still reports it when due', async () => {
    const system = await shardedSystem();
    const [lamp, desk] = [skuOn(1), skuOn(2)];
    await system.receive(lamp, 5);
    await system.receive(desk, 5);
    system.unowned.add(2);
    await system.ordering.placeOrder(
      checkout('co-restart', [
        { sku: lamp, quantity: 1 },
        { sku: desk, quantity: 1 },
      ]),
    );
    await system.settle();
    const reported: string[] = [];
    const afterRestart = new PartsAnswerDeadline(
      system.orderStore,
      async (orderId, fact) => reported.push(`${orderId} ${fact.type}`),
      { clock: system.clock, timeoutMs: 30_000 },
    );

    await afterRestart.runDue();
    system.clock.advance(30_000);
    await afterRestart.runDue();

    expect(reported).toEqual(['co-restart ReservationAnswerTimedOut']);
  });
});

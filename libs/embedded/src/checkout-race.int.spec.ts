import type { OrderView } from '@stockade/contracts';
import { startTestSystem } from './testing/test-system';
import { stockHistory } from './testing/stock-history';

// 500 checkouts end to end: seconds on a quiet machine, more while other suites share its two cores.
jest.setTimeout(60_000);

describe('the embedded system under a flash sale', () => {
  let sut: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    sut = await startTestSystem({ STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS: 'true' });
  });
  afterAll(() => sut.stop());

  it('given a SKU with 10 units, when 500 checkouts race for it, then exactly 10 units are sold, every checkout is terminal and availability never went below zero', async () => {
    await sut.client.receiveStock('FLASH-LAMP', 10);

    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        sut.client.checkout({
          checkoutId: `race-${i}`,
          customerId: `shopper-${i}`,
          lines: [{ sku: 'FLASH-LAMP', quantity: 1, unitPrice: 20 }],
        }),
      ),
    );
    const orders: OrderView[] = await Promise.all(
      Array.from({ length: 500 }, (_, i) => sut.client.waitForTerminal(`race-${i}`, 60_000)),
    );

    const byStatus = (status: string) => orders.filter((order) => order.status === status);
    expect(byStatus('COMPLETED')).toHaveLength(10);
    expect(byStatus('REJECTED')).toHaveLength(490);
    expect(new Set(byStatus('REJECTED').map((order) => order.reasons.join()))).toEqual(
      new Set(['FLASH-LAMP: only 0 available, 1 requested']),
    );
    expect(await sut.client.stock('FLASH-LAMP')).toMatchObject({
      onHand: 0,
      reserved: 0,
      available: 0,
      status: 'OUT_OF_STOCK',
    });

    const history = await stockHistory(sut.dataDir, 'FLASH-LAMP');
    expect(history.length).toBeGreaterThan(10);
    expect(history.filter((level) => level.onHand - level.reserved < 0 || level.onHand < 0)).toEqual([]);
  });

  it('given one short line among three, when the checkout runs, then nothing is reserved on any line and the rejection names only the short line', async () => {
    await sut.client.receiveStock('ML-DESK', 5);
    await sut.client.receiveStock('ML-CHAIR', 5);
    await sut.client.receiveStock('ML-LAMP', 2);

    await sut.client.checkout({
      checkoutId: 'multi-short',
      customerId: 'alice',
      lines: [
        { sku: 'ML-DESK', quantity: 2, unitPrice: 100 },
        { sku: 'ML-LAMP', quantity: 3, unitPrice: 30 },
        { sku: 'ML-CHAIR', quantity: 1, unitPrice: 80 },
      ],
    });
    const order = await sut.client.waitForTerminal('multi-short');

    expect(order).toMatchObject({ status: 'REJECTED', reasons: ['ML-LAMP: only 2 available, 3 requested'] });
    for (const [sku, onHand] of [
      ['ML-DESK', 5],
      ['ML-CHAIR', 5],
      ['ML-LAMP', 2],
    ] as const) {
      expect(await sut.client.stock(sku)).toMatchObject({ onHand, reserved: 0, available: onHand });
      expect((await stockHistory(sut.dataDir, sku)).map((level) => level.type)).toEqual(['StockReceived']);
    }
  });

  it('given a checkout delivered twice (a retrying publisher), then there is one order and stock is taken once', async () => {
    await sut.client.receiveStock('DUP-MUG', 5);
    const checkout = { checkoutId: 'dup-1', customerId: 'bob', lines: [{ sku: 'DUP-MUG', quantity: 2, unitPrice: 9 }] };

    const [first, second] = await Promise.all([sut.client.checkout(checkout), sut.client.checkout(checkout)]);
    const third = await sut.client.checkout(checkout);
    const order = await sut.client.waitForTerminal('dup-1');

    expect([first.orderId, second.orderId, third.orderId]).toEqual(['dup-1', 'dup-1', 'dup-1']);
    expect(order.status).toBe('COMPLETED');
    expect(await sut.client.stock('DUP-MUG')).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('given a declined card, when the checkout runs, then the reservation is released and the order is cancelled with the reason', async () => {
    await sut.client.receiveStock('DECL-POSTER', 3);

    await sut.client.checkout({
      checkoutId: 'declined-1',
      customerId: 'carol',
      paymentToken: 'decline:insufficient-funds',
      lines: [{ sku: 'DECL-POSTER', quantity: 2, unitPrice: 15 }],
    });
    const order = await sut.client.waitForTerminal('declined-1');

    expect(order).toMatchObject({ status: 'CANCELLED', reasons: ['payment declined: insufficient-funds'] });
    expect(await sut.client.stock('DECL-POSTER')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect((await stockHistory(sut.dataDir, 'DECL-POSTER')).map((level) => level.type)).toEqual([
      'StockReceived',
      'StockReserved',
      'StockReleased',
    ]);
  });

  it('given a slow payment, when the shopper cancels first, then the reservation is released and the order is cancelled', async () => {
    await sut.client.receiveStock('CANCEL-VASE', 2);

    await sut.client.checkout({
      checkoutId: 'cancel-1',
      customerId: 'dave',
      paymentToken: 'delay:300',
      lines: [{ sku: 'CANCEL-VASE', quantity: 1, unitPrice: 15 }],
    });
    await sut.client.cancel('cancel-1');
    const order = await sut.client.waitForTerminal('cancel-1');

    expect(order).toMatchObject({ status: 'CANCELLED', reasons: ['cancelled by customer'] });
    expect(await sut.client.stock('CANCEL-VASE')).toMatchObject({ onHand: 2, reserved: 0 });
  });
});

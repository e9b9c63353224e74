import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { ManualClock } from '@stockade/kernel';
import type { CheckReport, OrderStory, StockStory, StuckReport } from '@stockade/operations';
import { OPERATOR_TOKEN, startTestSystem } from './testing/test-system';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const ops = async <T>(sut: System, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${sut.system.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  return { status: response.status, body: (await response.json()) as T };
};
const check = (sut: System, repair = false) =>
  ops<CheckReport>(sut, '/ops/check', { method: 'POST', body: JSON.stringify({ repair }) });
const meta = (id: string) => ({ correlationId: id, causationId: id, occurredAt: new Date().toISOString() });

// A 500-shopper race takes a few seconds on a quiet machine and more on a busy CI host: this guards against a hang, it times nothing.
jest.setTimeout(60_000);

describe('the operator surface of the embedded system', () => {
  let sut: System;

  beforeAll(async () => {
    // `delay:` payment tokens are slow only where a test turns them on (ADR 0021).
    sut = await startTestSystem({ STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS: 'true' });
  });
  afterAll(() => sut.stop());

  it('given 500 shoppers raced for 10 units, when the books are checked, then they balance with no finding', async () => {
    await sut.client.receiveStock('OPS-FLASH', 10);
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        sut.client.checkout({
          checkoutId: `ops-race-${i}`,
          customerId: `s-${i}`,
          lines: [{ sku: 'OPS-FLASH', quantity: 1, unitPrice: 5 }],
        }),
      ),
    );
    await Promise.all(Array.from({ length: 500 }, (_, i) => sut.client.waitForTerminal(`ops-race-${i}`, 60_000)));

    const { status, body } = await check(sut);

    expect(status).toBe(200);
    expect(body.findings).toEqual([]);
    expect(body).toMatchObject({ ok: true });
    expect(body.skus).toBeGreaterThanOrEqual(1);
    expect(body.orders).toBeGreaterThanOrEqual(500);
  });

  it('given an order whose payment was declined, when its story is asked for, then it says why in plain words and lists the order and inventory events in causal order', async () => {
    await sut.client.receiveStock('OPS-LAMP', 5);
    await sut.client.checkout({
      checkoutId: 'ops-declined',
      customerId: 'alice',
      lines: [{ sku: 'OPS-LAMP', quantity: 2, unitPrice: 10 }],
      paymentToken: 'decline:card expired',
    });
    await sut.client.waitForTerminal('ops-declined');

    const { status, body } = await ops<OrderStory>(sut, '/ops/orders/ops-declined');

    expect(status).toBe(200);
    expect(body).toMatchObject({ outcome: 'cancelled', terminal: true });
    expect(body.why).toContain('card expired');
    const types = body.events.map((event) => `${event.source}:${event.type}`);
    expect(types[0]).toBe('orders:OrderPlaced');
    expect(types).toEqual(
      expect.arrayContaining([
        'inventory:ReservationAccepted',
        'inventory:StockReserved',
        'inventory:StockReleased',
        'orders:PaymentDeclined',
      ]),
    );
    expect(types.indexOf('inventory:ReservationAccepted')).toBeLessThan(types.indexOf('orders:PaymentDeclined'));
    expect(types.at(-1)).toBe('orders:OrderCancelled');
    expect((await ops(sut, '/ops/orders/no-such-order')).status).toBe(404);
  });

  it('given a SKU that sold, when its stock is asked for, then the levels, badge and last movements come back', async () => {
    const { body } = await ops<StockStory>(sut, '/ops/stock/OPS-FLASH?movements=3');

    expect(body).toMatchObject({
      sku: 'OPS-FLASH',
      onHand: 0,
      reserved: 0,
      available: 0,
      status: 'OUT_OF_STOCK',
      reservations: [],
    });
    expect(body.movements).toHaveLength(3);
    expect(body.movements.at(-1)?.type).toBe('StockCommitted');
  });

  it('given an order waiting for a slow payment, when stuck orders are asked for, then it is listed with what it waits for, and a completed one is not', async () => {
    await sut.client.checkout({
      checkoutId: 'ops-slow',
      customerId: 'bob',
      lines: [{ sku: 'OPS-LAMP', quantity: 1, unitPrice: 10 }],
      paymentToken: 'delay:3000',
    });
    for (let tries = 0; tries < 100; tries++) {
      const story = await ops<OrderStory>(sut, '/ops/orders/ops-slow');
      if (story.status === 200 && story.body.phase === 'awaiting payment') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const { body } = await ops<StuckReport>(sut, '/ops/stuck?olderThanMs=0');

    expect(body.orders.find((order) => order.orderId === 'ops-slow')).toMatchObject({
      phase: 'awaiting payment',
      waitingFor: 'the payment answer',
    });
    expect(body.orders.find((order) => order.orderId === 'ops-race-0')).toBeUndefined();
    await sut.client.waitForTerminal('ops-slow');
  });

  it('given a bad event appended straight into the inventory store, when the books are checked, then the check fails naming the SKU and the first bad event', async () => {
    await sut.client.receiveStock('OPS-DRIFT', 4);
    const inventory = SqliteEventStore.open(join(sut.dataDir, 'inventory.db'));
    try {
      const version = await inventory.streamVersion('stock-OPS-DRIFT');
      // Claims 3 reserved for a checkout, but 1 unit is what it holds: reserved ≠ the sum of live reservations.
      await inventory.appendToStream(
        'stock-OPS-DRIFT',
        [
          {
            id: randomUUID(),
            type: 'StockReserved',
            data: {
              sku: 'OPS-DRIFT',
              checkoutId: 'ghost',
              quantity: 1,
              expiresAt: '2099-01-01T00:00:00.000Z',
              onHand: 4,
              reserved: 3,
            },
            metadata: meta('ghost'),
          },
        ],
        { expectedVersion: version },
      );
    } finally {
      await inventory.close();
    }

    const { body } = await check(sut);

    expect(body.ok).toBe(false);
    const drift = body.findings.find(
      (finding) => finding.sku === 'OPS-DRIFT' && finding.kind === 'reserved-mismatch' && finding.firstBadEvent,
    );
    expect(drift?.firstBadEvent).toMatchObject({ stream: 'stock-OPS-DRIFT', type: 'StockReserved' });
    expect(drift?.message).toContain('reserved is 3');
  });

  it('given a live feed filtered by order, when that order is placed after the client connected, then its events arrive', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${sut.system.url}/ops/events?order=ops-tail`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, accept: 'text/event-stream' },
      signal: aborter.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
    };
    await readUntil('event: ready');

    await sut.client.checkout({
      checkoutId: 'ops-tail',
      customerId: 'carol',
      lines: [{ sku: 'OPS-LAMP', quantity: 1, unitPrice: 10 }],
    });
    await readUntil('"type":"OrderCompleted"');
    aborter.abort();

    expect(text).toContain('"type":"OrderPlaced"');
    expect(text).not.toContain('"orderId":"ops-slow"');
  });
});

describe('check --repair on the embedded system', () => {
  it('given stock still held for an order that ended a while ago, when the check repairs, then the reservation is released and the next check is clean', async () => {
    const clock = new ManualClock('2026-06-01T12:00:00.000Z');
    const sut = await startTestSystem({}, { clock });
    try {
      await sut.client.receiveStock('OPS-LEAK', 5);
      // A leak as a bug would leave it: the order cancelled, its reservation never released.
      const orders = SqliteEventStore.open(join(sut.dataDir, 'orders.db'), { clock });
      const inventory = SqliteEventStore.open(join(sut.dataDir, 'inventory.db'), { clock });
      try {
        const lines = [{ sku: 'OPS-LEAK', quantity: 2, unitPrice: 10 }];
        await orders.appendToStream(
          'order-leak-1',
          [
            {
              id: randomUUID(),
              type: 'OrderPlaced.v2',
              data: { orderId: 'leak-1', customerId: 'dave', lines, total: 20, placedAt: clock.now().toISOString() },
              metadata: meta('leak-1'),
            },
            {
              id: randomUUID(),
              type: 'OrderCancelled.v2',
              data: { orderId: 'leak-1', customerId: 'dave', reasons: ['cancelled by the customer'] },
              metadata: meta('leak-1'),
            },
          ],
          { expectedVersion: 'no_stream' },
        );
        await inventory.appendToStreams([
          {
            stream: 'reservation-leak-1',
            expectedVersion: 'no_stream',
            events: [
              {
                id: randomUUID(),
                type: 'ReservationAccepted',
                data: {
                  checkoutId: 'leak-1',
                  lines: [{ sku: 'OPS-LEAK', quantity: 2 }],
                  expiresAt: '2099-01-01T00:00:00.000Z',
                },
                metadata: meta('leak-1'),
              },
            ],
          },
          {
            stream: 'stock-OPS-LEAK',
            expectedVersion: 0,
            events: [
              {
                id: randomUUID(),
                type: 'StockReserved',
                data: {
                  sku: 'OPS-LEAK',
                  checkoutId: 'leak-1',
                  quantity: 2,
                  expiresAt: '2099-01-01T00:00:00.000Z',
                  onHand: 5,
                  reserved: 2,
                },
                metadata: meta('leak-1'),
              },
            ],
          },
        ]);
      } finally {
        await Promise.all([orders.close(), inventory.close()]);
      }
      clock.advance(60_000);

      const before = await check(sut);
      expect(before.body.findings).toEqual([
        expect.objectContaining({
          kind: 'reservation-held-for-ended-order',
          checkoutId: 'leak-1',
          repair: expect.anything(),
        }),
      ]);

      const repaired = await check(sut, true);
      expect(repaired.body.repaired?.map((repair) => repair.action)).toEqual([
        expect.objectContaining({ kind: 'release-reservation', checkoutId: 'leak-1' }),
      ]);

      const after = await check(sut);
      expect(after.body).toMatchObject({ ok: true, findings: [] });
      expect(await sut.client.stock('OPS-LEAK')).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    } finally {
      await sut.stop();
    }
  });
});

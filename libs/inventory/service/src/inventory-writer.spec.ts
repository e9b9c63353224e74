import { AppendRequest, ExpectedVersionConflict, InMemoryEventStore } from '@stockade/event-store';
import { StockAdjustmentRefused } from '@stockade/inventory-domain';
import { isRetriable, ManualClock } from '@stockade/kernel';
import { InventoryWriteContention } from './inventory-write-contention';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import { reservationStream, stockStream } from './streams';
import { commandMeta, randomCheckoutId, randomSku } from './testing/inventory-fixtures';

function setup(options: { maxBatchSize?: number } = {}) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const appends = jest.spyOn(store, 'appendToStreams');
  const writer = new InventoryWriter(store, { clock, reservationTtlMs: 60_000, ...options });
  return { clock, store, appends, writer, queries: new InventoryQueries(store) };
}

describe('InventoryWriter', () => {
  it('given 10 units of one SKU, when 500 shoppers reserve 1 unit at once, then exactly 10 are accepted and it never oversells', async () => {
    const { store, appends, writer, queries } = setup({ maxBatchSize: 100 });
    const sku = randomSku('HOT');
    await writer.receiveStock(sku, 10, commandMeta(`receipt-${sku}`));

    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        writer.reserve(`${sku}-c${i}`, [{ sku, quantity: 1 }], commandMeta(`reserve-${sku}-${i}`, `${sku}-c${i}`)),
      ),
    );

    const accepted = outcomes.filter((outcome) => outcome.status === 'accepted');
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(accepted).toHaveLength(10);
    expect(rejected).toHaveLength(490);
    for (const outcome of rejected) {
      expect(outcome).toMatchObject({
        shortLines: [{ sku, requested: 1, available: 0, reason: `${sku}: only 0 available, 1 requested` }],
      });
    }
    // Every batch's stock events keep onHand - reserved >= 0, and batches are group commits.
    const stockEvents = appends.mock.calls.flatMap(([requests]) =>
      requests.filter((r: AppendRequest) => r.stream === stockStream(sku)).flatMap((r) => r.events),
    );
    for (const event of stockEvents) {
      const levels = event.data as { onHand: number; reserved: number };
      expect(levels.onHand - levels.reserved).toBeGreaterThanOrEqual(0);
    }
    expect(appends.mock.calls.length).toBe(1 + 5); // the receipt, then 500 commands in batches of 100
    expect(await queries.getStock(sku)).toEqual({
      sku,
      onHand: 10,
      reserved: 10,
      available: 0,
      status: 'OUT_OF_STOCK',
    });
    expect((await store.readStream(stockStream(sku))).filter((e) => e.type === 'StockReserved')).toHaveLength(10);
  });

  it('given a checkout with one short line, when it reserves, then nothing is held on any SKU and only the short line is named', async () => {
    const { store, writer, queries } = setup();
    const [lamp, desk, mug] = [randomSku('LAMP'), randomSku('DESK'), randomSku('MUG')];
    await writer.receiveStock(lamp, 10, commandMeta(`r-${lamp}`));
    await writer.receiveStock(desk, 2, commandMeta(`r-${desk}`));
    await writer.receiveStock(mug, 40, commandMeta(`r-${mug}`));
    const checkoutId = randomCheckoutId();

    const outcome = await writer.reserve(
      checkoutId,
      [
        { sku: lamp, quantity: 1 },
        { sku: desk, quantity: 3 },
        { sku: mug, quantity: 2 },
      ],
      commandMeta(`c-${checkoutId}`),
    );

    expect(outcome).toEqual({
      status: 'rejected',
      checkoutId,
      shortLines: [{ sku: desk, requested: 3, available: 2, reason: `${desk}: only 2 available, 3 requested` }],
    });
    for (const sku of [lamp, desk, mug]) expect((await queries.getStock(sku))?.reserved).toBe(0);
    expect((await store.readStream(reservationStream(checkoutId))).map((e) => e.type)).toEqual(['ReservationRejected']);
  });

  it('given a SKU that never received stock, when a checkout reserves it, then the line is short as an unknown SKU', async () => {
    const { writer } = setup();
    const ghost = randomSku('GHOST');
    const outcome = await writer.reserve('c-ghost', [{ sku: ghost, quantity: 1 }], commandMeta(`c-${ghost}`));
    expect(outcome).toMatchObject({
      status: 'rejected',
      shortLines: [{ sku: ghost, available: 0, reason: `${ghost}: unknown SKU` }],
    });
  });

  it('given a reserve command, when it is delivered twice and then again with a new command id, then the units are reserved once', async () => {
    const { store, writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    const checkoutId = randomCheckoutId();
    const reserve = (commandId: string) =>
      writer.reserve(checkoutId, [{ sku, quantity: 2 }], commandMeta(commandId, checkoutId));

    const [first, redelivered] = await Promise.all([reserve(`cmd-${checkoutId}`), reserve(`cmd-${checkoutId}`)]);
    const again = await reserve(`cmd-${checkoutId}`);
    const retried = await reserve(`other-${checkoutId}`);

    expect(first.status).toBe('accepted');
    expect([redelivered, again, retried]).toEqual([first, first, first]);
    expect((await queries.getStock(sku))?.reserved).toBe(2);
    expect(await store.readStream(reservationStream(checkoutId))).toHaveLength(1);
  });

  it('given a receipt, when the same receipt command is delivered again later, then the stock is received once', async () => {
    const { writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    const again = await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    expect(again).toMatchObject({ onHand: 5 });
    expect((await queries.getStock(sku))?.onHand).toBe(5);
  });

  it('given a reservation, when it is released, then the units are available again and a second release changes nothing', async () => {
    const { writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c1', [{ sku, quantity: 3 }], commandMeta(`reserve-${sku}`));

    expect(await writer.release('c1', 'payment declined', commandMeta(`release-${sku}`))).toEqual({
      checkoutId: 'c1',
      changed: true,
      reservation: 'released',
    });
    expect(await writer.release('c1', 'payment declined', commandMeta(`release2-${sku}`))).toEqual({
      checkoutId: 'c1',
      changed: false,
      reservation: 'released',
    });
    expect(await queries.getStock(sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
  });

  it('given a reservation, when it is committed, then the units leave onHand and reserved', async () => {
    const { writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c1', [{ sku, quantity: 3 }], commandMeta(`reserve-${sku}`));

    expect(await writer.commit('c1', commandMeta(`commit-${sku}`))).toEqual({ status: 'committed', checkoutId: 'c1' });
    expect(await queries.getStock(sku)).toEqual({ sku, onHand: 2, reserved: 0, available: 2, status: 'LIMITED' });
  });

  it('given an expired reservation, when it is committed, then the commit is refused and nothing is sold', async () => {
    const { clock, writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c1', [{ sku, quantity: 3 }], commandMeta(`reserve-${sku}`));
    clock.advance(60_000);
    await writer.expire('c1', commandMeta(`expire-${sku}`));

    expect(await writer.commit('c1', commandMeta(`commit-${sku}`))).toEqual({
      status: 'refused',
      checkoutId: 'c1',
      reason: 'reservation for checkout c1 expired at 2026-03-01T10:01:00.000Z',
    });
    expect(await queries.getStock(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('given units reserved, when an adjustment would make available negative, then it is refused with a 409 code and the others in its batch go through', async () => {
    const { writer } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c1', [{ sku, quantity: 4 }], commandMeta(`reserve-${sku}`));

    const [refused, allowed] = await Promise.allSettled([
      writer.adjustStock(sku, -2, 'damaged', commandMeta(`adj1-${sku}`)),
      writer.adjustStock(sku, -1, 'damaged', commandMeta(`adj2-${sku}`)),
    ]);
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(StockAdjustmentRefused) });
    expect((refused as PromiseRejectedResult).reason.code).toBe('INVARIANT_VIOLATED');
    expect(allowed).toEqual({
      status: 'fulfilled',
      value: { sku, onHand: 4, reserved: 4, available: 0, status: 'OUT_OF_STOCK' },
    });
  });

  it('given another writer wins every race, when the retries run out, then the batch fails with a retriable contention error', async () => {
    const { store, appends, writer } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    appends.mockClear();
    appends.mockRejectedValue(new ExpectedVersionConflict(stockStream(sku), 0, 1));

    const failure = await writer.receiveStock(sku, 1, commandMeta(`r2-${sku}`)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(InventoryWriteContention);
    expect(isRetriable(failure)).toBe(true);
    expect(appends).toHaveBeenCalledTimes(5);
    appends.mockRestore();
    expect((await store.readStream(stockStream(sku))).map((e) => e.type)).toEqual(['StockReceived']);
  });

  it('given the store fails, when a batch is appended, then every command of the batch fails and the cache is not advanced', async () => {
    const { store, writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    jest.spyOn(store, 'appendToStreams').mockRejectedValueOnce(new Error('disk full'));

    await expect(writer.receiveStock(sku, 1, commandMeta(`r2-${sku}`))).rejects.toThrow('disk full');
    expect(await writer.receiveStock(sku, 1, commandMeta(`r3-${sku}`))).toMatchObject({ onHand: 6 });
    expect((await queries.getStock(sku))?.onHand).toBe(6);
  });
});

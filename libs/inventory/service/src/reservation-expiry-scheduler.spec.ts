import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import { ReservationExpiryScheduler } from './reservation-expiry-scheduler';
import { reservationStream } from './streams';
import { commandMeta, randomCheckoutId, randomSku } from './testing/inventory-fixtures';

const TTL = 15 * 60_000;

function inventoryProcess(store: InMemoryEventStore, clock: ManualClock) {
  const writer = new InventoryWriter(store, { clock, reservationTtlMs: TTL });
  return { writer, scheduler: new ReservationExpiryScheduler(store, writer, { clock, checkIntervalMs: 60_000 }) };
}

async function stocked(units = 5) {
  const clock = new ManualClock('2026-05-01T12:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const sku = randomSku();
  const first = inventoryProcess(store, clock);
  await first.writer.receiveStock(sku, units, commandMeta(`r-${sku}`));
  return { clock, store, sku, first, queries: new InventoryQueries(store) };
}

describe('ReservationExpiryScheduler', () => {
  it('given a reservation, when the clock passes its TTL, then runDue expires it and the units are available again', async () => {
    const { clock, store, sku, first, queries } = await stocked();
    const checkoutId = randomCheckoutId();
    await first.writer.reserve(checkoutId, [{ sku, quantity: 2 }], commandMeta(`c-${checkoutId}`, checkoutId));

    clock.advance(TTL - 1);
    expect(await first.scheduler.runDue()).toBe(0);
    clock.advance(1);
    expect(await first.scheduler.runDue()).toBe(1);

    expect((await store.readStream(reservationStream(checkoutId))).map((e) => e.type)).toEqual([
      'ReservationAccepted',
      'ReservationExpired',
    ]);
    expect(await queries.getStock(sku)).toMatchObject({ reserved: 0, available: 5 });
    expect(first.scheduler.openReservations()).toEqual([]);
  });

  it('given a reservation made before a restart, when a new writer and scheduler start over the same store, then they expire it', async () => {
    const { clock, store, sku, first, queries } = await stocked();
    await first.writer.reserve(
      'before-restart',
      [{ sku, quantity: 3 }],
      commandMeta('c-before-restart', 'before-restart'),
    );

    const restarted = inventoryProcess(store, clock);
    clock.advance(TTL);
    await restarted.scheduler.start();
    await restarted.scheduler.stop();

    expect((await store.readStream(reservationStream('before-restart'))).map((e) => e.type)).toEqual([
      'ReservationAccepted',
      'ReservationExpired',
    ]);
    expect(await queries.getStock(sku)).toMatchObject({ reserved: 0, available: 5 });
  });

  it('given reservations committed or released before they are due, when the clock passes the TTL, then nothing is expired', async () => {
    const { clock, sku, first } = await stocked();
    await first.writer.reserve('paid', [{ sku, quantity: 1 }], commandMeta('c-paid', 'paid'));
    await first.writer.reserve('cancelled', [{ sku, quantity: 1 }], commandMeta('c-cancelled', 'cancelled'));
    expect(first.scheduler.openReservations()).toEqual([]);
    await first.scheduler.runDue();
    expect(
      first.scheduler
        .openReservations()
        .map((r) => r.checkoutId)
        .sort(),
    ).toEqual(['cancelled', 'paid']);

    await first.writer.commit('paid', commandMeta('commit-paid', 'paid'));
    await first.writer.release('cancelled', 'customer cancelled', commandMeta('release-cancelled', 'cancelled'));
    clock.advance(TTL);

    expect(await first.scheduler.runDue()).toBe(0);
    expect(first.scheduler.openReservations()).toEqual([]);
  });

  it('given an expiry that fails, when the next pass runs, then it is tried again', async () => {
    const { clock, store, sku, first } = await stocked();
    await first.writer.reserve('flaky', [{ sku, quantity: 1 }], commandMeta('c-flaky', 'flaky'));
    const errors: string[] = [];
    const flakyWriter = {
      expire: jest
        .fn()
        .mockRejectedValueOnce(new Error('store away'))
        .mockImplementation((id, meta) => first.writer.expire(id, meta)),
    };
    const scheduler = new ReservationExpiryScheduler(store, flakyWriter, {
      clock,
      onError: (_error, checkoutId) => errors.push(checkoutId),
    });
    clock.advance(TTL);

    expect(await scheduler.runDue()).toBe(0);
    expect(await scheduler.runDue()).toBe(1);
    expect(errors).toEqual(['flaky']);
  });
});

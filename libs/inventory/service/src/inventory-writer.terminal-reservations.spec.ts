import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import { reservationStream } from './streams';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

function setup() {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const writer = new InventoryWriter(store, { clock, reservationTtlMs: 60_000 });
  return { clock, store, writer, queries: new InventoryQueries(store) };
}

describe('InventoryWriter: reservations that ended are not kept in memory', () => {
  it('given 100 checkouts reserved and then committed, released, expired or rejected, then only the ones still holding stock stay cached', async () => {
    const { clock, writer } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 90, commandMeta(`r-${sku}`));
    const ids = Array.from({ length: 100 }, (_, i) => `${sku}-c${i}`);

    // 90 accepted, 10 rejected (out of stock).
    await Promise.all(ids.map((id) => writer.reserve(id, [{ sku, quantity: 1 }], commandMeta(`reserve-${id}`, id))));
    expect(writer.cachedStreams().reservation).toBe(90);

    await Promise.all(ids.slice(0, 30).map((id) => writer.commit(id, commandMeta(`commit-${id}`, id))));
    await Promise.all(
      ids.slice(30, 60).map((id) => writer.release(id, 'payment declined', commandMeta(`release-${id}`, id))),
    );
    clock.advance(60_000);
    await Promise.all(ids.slice(60, 80).map((id) => writer.expire(id, commandMeta(`expire-${id}`, id))));

    // The 10 still accepted (80-89): every other reservation ended and was let go.
    expect(writer.cachedStreams().reservation).toBe(10);
  });

  it('given a committed reservation no longer in memory, when its commit is delivered again, then the answer is the same and nothing is appended', async () => {
    const { store, writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c1', [{ sku, quantity: 3 }], commandMeta(`reserve-${sku}`, 'c1'));
    const first = await writer.commit('c1', commandMeta(`commit-${sku}`, 'c1'));
    expect(writer.cachedStreams().reservation).toBe(0);

    const again = await writer.commit('c1', commandMeta(`commit-${sku}`, 'c1'));
    const retried = await writer.commit('c1', commandMeta(`commit-again-${sku}`, 'c1'));

    expect(first).toEqual({ status: 'committed', checkoutId: 'c1' });
    expect([again, retried]).toEqual([first, first]);
    expect((await store.readStream(reservationStream('c1'))).map((e) => e.type)).toEqual([
      'ReservationAccepted',
      'ReservationCommitted',
    ]);
    expect(await queries.getStock(sku)).toMatchObject({ onHand: 2, reserved: 0 });
  });

  it('given an expired reservation no longer in memory, when a release and a commit arrive late, then the release changes nothing and the commit is refused as before', async () => {
    const { clock, store, writer, queries } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 5, commandMeta(`r-${sku}`));
    await writer.reserve('c2', [{ sku, quantity: 2 }], commandMeta(`reserve-${sku}`, 'c2'));
    clock.advance(60_000);
    await writer.expire('c2', commandMeta(`expire-${sku}`, 'c2'));
    expect(writer.cachedStreams().reservation).toBe(0);

    const released = await writer.release('c2', 'payment timed out', commandMeta(`release-${sku}`, 'c2'));
    const committed = await writer.commit('c2', commandMeta(`commit-${sku}`, 'c2'));
    const committedAgain = await writer.commit('c2', commandMeta(`commit-${sku}`, 'c2'));

    expect(released).toEqual({ checkoutId: 'c2', changed: false, reservation: 'expired' });
    expect(committed).toEqual({
      status: 'refused',
      checkoutId: 'c2',
      reason: 'reservation for checkout c2 expired at 2026-03-01T10:01:00.000Z',
    });
    expect(committedAgain).toEqual(committed);
    expect((await store.readStream(reservationStream('c2'))).map((e) => e.type)).toEqual([
      'ReservationAccepted',
      'ReservationExpired',
      'ReservationCommitRefused',
    ]);
    expect(await queries.getStock(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('given a rejected reservation no longer in memory, when its reserve is delivered again, then it is rejected the same way and no stock is taken', async () => {
    const { store, writer } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 1, commandMeta(`r-${sku}`));
    const first = await writer.reserve('c3', [{ sku, quantity: 2 }], commandMeta(`reserve-${sku}`, 'c3'));
    await writer.receiveStock(sku, 5, commandMeta(`r2-${sku}`));
    expect(writer.cachedStreams().reservation).toBe(0);

    const again = await writer.reserve('c3', [{ sku, quantity: 2 }], commandMeta(`reserve-${sku}`, 'c3'));

    expect(first.status).toBe('rejected');
    expect(again).toEqual(first);
    expect((await store.readStream(reservationStream('c3'))).map((e) => e.type)).toEqual(['ReservationRejected']);
  });
});

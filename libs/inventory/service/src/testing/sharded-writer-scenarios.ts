import { shardOfSku } from '@stockade/contracts';
import type { EventStore } from '@stockade/event-store';
import { isOutage, ManualClock } from '@stockade/kernel';
import { createInventoryService, InventoryService } from '../create-inventory-service';
import { ShardNotOwned } from '../shard-ownership';
import { reservationStream, stockStream } from '../streams';
import { commandMeta, randomCheckoutId } from './inventory-fixtures';

/** A store with fences (ADR 0020): what a sharded inventory runs on. */
export type FencedStore = EventStore & { takeFence(name: string): Promise<number> };

const SHARDS = 4;
let skuCounter = 0;
/** A fresh SKU on the given shard, found by the broker's own hash. */
const skuOn = (shard: number): string => {
  for (;;) {
    const sku = `SHARD-SKU-${process.pid}-${skuCounter++}`;
    if (shardOfSku(sku, SHARDS) === shard) return sku;
  }
};

function instance(
  store: EventStore,
  clock = new ManualClock(new Date('2026-12-02T10:00:00.000Z')),
  onShardLost?: (shard: number) => void,
): InventoryService {
  return createInventoryService({
    store,
    shards: SHARDS,
    clock,
    reservationTtlMs: 60_000,
    ...(onShardLost ? { onShardLost } : {}),
  });
}

async function owning(service: InventoryService, shards: readonly number[]): Promise<void> {
  service.ownership?.assign(shards);
  // The fences are taken in the background; wait until they are held.
  await Promise.all(shards.map((shard) => service.ownership?.fencesFor([skuOn(shard)])));
}

/**
 * The sharded writer's behaviour on a store with fences: run on memory (unit) and on PostgreSQL
 * (integration), which must agree.
 */
export function describeShardedWriter(storeName: string, openStore: () => Promise<FencedStore>): void {
  describe(`InventoryWriter with shards (ADR 0020): one writer per shard, fenced, on ${storeName}`, () => {
    let opened: FencedStore[] = [];
    const freshStore = async (): Promise<FencedStore> => {
      const store = await openStore();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()));
      opened = [];
    });

    it('given instance A owns shards 0 and 1, when it is asked to reserve a SKU of shard 2, then it refuses as not owned (an outage the bus retries, never a dead letter) and writes nothing; a SKU of shard 0 it reserves', async () => {
      const store = await freshStore();
      const a = instance(store);
      await owning(a, [0, 1]);
      const [mine, theirs] = [skuOn(0), skuOn(2)];
      await a.writer.receiveStock(mine, 5, commandMeta('receive-mine'));
      await a.writer.receiveStock(theirs, 5, commandMeta('receive-theirs'));
      const [accepted, refused] = [randomCheckoutId(), randomCheckoutId()];

      const refusal = await a.writer
        .reserve(refused, [{ sku: theirs, quantity: 1 }], commandMeta(`reserve-${refused}`))
        .catch((error: unknown) => error);
      const outcome = await a.writer.reserve(
        accepted,
        [{ sku: mine, quantity: 2 }],
        commandMeta(`reserve-${accepted}`),
      );

      expect(refusal).toBeInstanceOf(ShardNotOwned);
      expect([(refusal as ShardNotOwned).shard, isOutage(refusal)]).toEqual([2, true]);
      expect(await store.streamVersion(reservationStream(refused))).toBe(-1);
      expect(outcome.status).toBe('accepted');
    });

    it('given an operator receipt for a SKU of a shard this instance does not own, then it is written all the same (stock commands are not the shard owner’s alone; expected versions order them)', async () => {
      const store = await freshStore();
      const a = instance(store);
      await owning(a, [0]);
      const elsewhere = skuOn(3);

      const view = await a.writer.receiveStock(elsewhere, 7, commandMeta('receive-elsewhere'));

      expect(view.onHand).toBe(7);
    });

    it('given instance B took shard 0 from A (a rebalance A has not heard of: paused past its session), when A decides a reservation there, then the fence refuses its append, nothing of A is stored, A tells its operator, and B decides the same checkout', async () => {
      const store = await freshStore();
      const lostByA: number[] = [];
      const [a, b] = [instance(store, undefined, (shard) => lostByA.push(shard)), instance(store)];
      await owning(a, [0]);
      const sku = skuOn(0);
      await a.writer.receiveStock(sku, 3, commandMeta('receive'));
      await owning(b, [0]);
      const checkoutId = randomCheckoutId();

      const refusal = await a.writer
        .reserve(checkoutId, [{ sku, quantity: 2 }], commandMeta(`reserve-${checkoutId}`))
        .catch((error: unknown) => error);

      expect(refusal).toBeInstanceOf(ShardNotOwned);
      expect(await store.streamVersion(reservationStream(checkoutId))).toBe(-1);
      expect(a.ownership?.owns(sku)).toBe(false);
      expect(lostByA).toEqual([0]);
      const decidedByB = await b.writer.reserve(
        checkoutId,
        [{ sku, quantity: 2 }],
        commandMeta(`reserve-${checkoutId}`),
      );
      expect(decidedByB.status).toBe('accepted');
      const stockEvents = await store.readStream(stockStream(sku));
      expect(stockEvents.map((event) => event.type)).toEqual(['StockReceived', 'StockReserved']);
    });

    it('given 200 concurrent reservations over SKUs of four shards owned two by A and two by B, when each is sent to both instances (as redelivery after a rebalance would), then each is decided once by its owner and no SKU goes below zero', async () => {
      const store = await freshStore();
      const [a, b] = [instance(store), instance(store)];
      await owning(a, [0, 1]);
      await owning(b, [2, 3]);
      const skus = [0, 1, 2, 3].map(skuOn);
      for (const sku of skus) await a.writer.receiveStock(sku, 30, commandMeta(`receive-${sku}`));
      const checkouts = Array.from({ length: 200 }, (_, n) => ({
        checkoutId: randomCheckoutId(),
        sku: skus[n % 4] as string,
      }));

      const results = await Promise.allSettled(
        checkouts.flatMap(({ checkoutId, sku }) =>
          [a, b].map((service) =>
            service.writer.reserve(checkoutId, [{ sku, quantity: 1 }], commandMeta(`reserve-${checkoutId}`)),
          ),
        ),
      );

      const refusals = results
        .filter((result) => result.status === 'rejected')
        .map((result) => (result as PromiseRejectedResult).reason);
      expect(refusals.length).toBe(200);
      expect(refusals.every((reason) => reason instanceof ShardNotOwned)).toBe(true);
      for (const sku of skus) {
        const view = await a.queries.getStock(sku);
        expect(view).toMatchObject({ onHand: 30, reserved: 30, available: 0 });
      }
    });

    it('given a reservation due to expire on a shard this instance does not own, then its expiry timer leaves it to the owner; the owner expires it', async () => {
      const store = await freshStore();
      const clock = new ManualClock(new Date('2026-12-02T10:00:00.000Z'));
      const [a, b] = [instance(store, clock), instance(store, clock)];
      await owning(a, [0]);
      await owning(b, [1]);
      const sku = skuOn(0);
      await a.writer.receiveStock(sku, 2, commandMeta('receive'));
      const checkoutId = randomCheckoutId();
      await a.writer.reserve(checkoutId, [{ sku, quantity: 2 }], commandMeta(`reserve-${checkoutId}`));
      clock.advance(61_000);

      expect(await b.scheduler.runDue()).toBe(0);
      expect(await a.scheduler.runDue()).toBe(1);
      expect(await a.queries.getStock(sku)).toMatchObject({ reserved: 0, available: 2 });
    });
  });
}

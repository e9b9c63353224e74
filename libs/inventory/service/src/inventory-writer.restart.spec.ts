import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { ManualClock } from '@stockade/kernel';
import { createInventoryService, InventoryService } from './create-inventory-service';
import { stockStream } from './streams';
import { commandMeta, randomSku } from './testing/inventory-fixtures';
import { countStreamReads } from './testing/stock-histories';

/**
 * Snapshots are saved after the append, in the background, so a process can die with some of
 * them unsaved. These tests restart from the same data directory (a new store object and a new
 * service, as a new process would have) and check that what the first process decided stands.
 */
describe('inventory restarted from a data directory with snapshots', () => {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  let dir: string;
  const opened: SqliteEventStore[] = [];
  const start = () => {
    const store = SqliteEventStore.open(join(dir, 'inventory.db'), { clock });
    opened.push(store);
    return {
      store,
      inventory: createInventoryService({ store, clock, snapshotInterval: 10, reservationTtlMs: 60_000 }),
    };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stockade-restart-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** 1 receipt of 100 units, then 40 one-unit reservations, every third one committed: 55 stock events, the last at version 54. */
  async function sell(inventory: InventoryService, sku: string): Promise<void> {
    await inventory.writer.receiveStock(sku, 100, commandMeta(`receive-${sku}`));
    for (let checkout = 0; checkout < 40; checkout++) {
      const checkoutId = `${sku}-checkout-${checkout}`;
      await inventory.writer.reserve(
        checkoutId,
        [{ sku, quantity: 1 }],
        commandMeta(`reserve-${checkoutId}`, checkoutId),
      );
      if (checkout % 3 === 0)
        await inventory.writer.commit(checkoutId, commandMeta(`commit-${checkoutId}`, checkoutId));
    }
  }

  /** Available units as the restarted writer decides them: a reservation of everything it believes is there. */
  async function availableAfterRestart(inventory: InventoryService, sku: string): Promise<number> {
    const probe = await inventory.writer.reserve(
      `${sku}-probe`,
      [{ sku, quantity: 1_000 }],
      commandMeta(`probe-${sku}`),
    );
    if (probe.status !== 'rejected') throw new Error('the probe should be refused');
    return probe.shortLines[0]?.available as number;
  }

  it('given a graceful stop, when restarted, then the SKU loads from the snapshot at its head and decides on the same stock', async () => {
    const sku = randomSku();
    const first = start();
    await sell(first.inventory, sku);
    await first.inventory.stop();
    await first.store.close();

    const second = start();
    const reads = countStreamReads(second.store);
    const available = await availableAfterRestart(second.inventory, sku);

    expect(available).toBe(100 - 14 - 26);
    // The interval left one at 49; the stop, 5 events later, one at the head.
    expect((await second.store.snapshotStore().load(stockStream(sku)))?.version).toBe(54);
    // The snapshot's own event (its check) and nothing else of the stock stream; the probe's reservation stream is empty.
    expect(reads.eventsRead()).toBe(1);
  });

  it('given a crash that lost every snapshot after the first, when restarted, then the older snapshot and the events after it give the same stock', async () => {
    const sku = randomSku();
    const first = start();
    const save = first.store.snapshotStore().save.bind(first.store.snapshotStore());
    let saves = 0;
    jest.spyOn(first.store.snapshotStore(), 'save').mockImplementation(async (batch) => {
      saves += 1;
      // The first save reaches the disk; the process "dies" before any later one does.
      if (saves === 1) return save(batch);
      return new Promise<void>(() => undefined);
    });
    await sell(first.inventory, sku);
    await first.store.close(); // no stop: nothing more is saved

    const second = start();
    expect((await second.store.snapshotStore().load(stockStream(sku)))?.version).toBe(9);
    const reads = countStreamReads(second.store);
    const available = await availableAfterRestart(second.inventory, sku);

    expect(available).toBe(100 - 14 - 26);
    expect(reads.eventsRead()).toBe(55 - 9);
    // That load folded more than the interval: it leaves a snapshot at the head for the next one.
    await second.inventory.writer.whenIdle();
    expect((await second.store.snapshotStore().load(stockStream(sku)))?.version).toBe(54);
  });

  it('given a data directory whose snapshots were all dropped, when restarted, then the SKU is folded from its first event and decides the same', async () => {
    const sku = randomSku();
    const first = start();
    await sell(first.inventory, sku);
    await first.inventory.stop();
    await first.store.close();
    const raw = new (await import('better-sqlite3')).default(join(dir, 'inventory.db'));
    raw.exec('DELETE FROM snapshots');
    raw.close();

    const second = start();
    const reads = countStreamReads(second.store);

    expect(await availableAfterRestart(second.inventory, sku)).toBe(100 - 14 - 26);
    expect(reads.eventsRead()).toBe(55);
  });
});

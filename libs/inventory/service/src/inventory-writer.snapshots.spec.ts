import { EventStore, InMemoryEventStore, Snapshot } from '@stockade/event-store';
import { evolveStock, initialStockState, StockEvent } from '@stockade/inventory-domain';
import { ManualClock } from '@stockade/kernel';
import { InventoryModuleOptions } from './inventory-options';
import { InventoryWriter } from './inventory-writer';
import { stockSnapshotCodec } from './stock-snapshot-codec';
import { stockStream } from './streams';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

function setup(options: InventoryModuleOptions = {}) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const saves = jest.spyOn(store.snapshotStore(), 'save');
  const writer = new InventoryWriter(store, { clock, reservationTtlMs: 60_000, ...options });
  const savedVersions = (sku: string) =>
    saves.mock.calls.flatMap(([batch]) => batch.filter((s) => s.stream === stockStream(sku)).map((s) => s.version));
  return { store, saves, writer, savedVersions };
}

/** Every snapshot saved must be exactly the fold of the stream up to its version, taken after the event it names. */
async function expectEachSnapshotToMatchItsStream(store: EventStore, snapshots: readonly Snapshot[]): Promise<void> {
  for (const snapshot of snapshots) {
    const events = await store.readStream(snapshot.stream);
    const upTo = events.slice(0, snapshot.version + 1);
    expect(snapshot.eventId).toBe(upTo[snapshot.version]?.id);
    expect(stockSnapshotCodec.decode(snapshot.state, snapshot.schemaVersion)).toEqual(
      upTo.reduce((state, event) => evolveStock(state, event as unknown as StockEvent), initialStockState()),
    );
  }
}

describe('InventoryWriter snapshots', () => {
  it('given an interval of 10, when a SKU gets 25 events one command at a time, then it is snapshotted after its 10th and 20th event', async () => {
    const { store, saves, writer, savedVersions } = setup({ snapshotInterval: 10 });
    const sku = randomSku();

    for (let receipt = 0; receipt < 25; receipt++)
      await writer.receiveStock(sku, 1, commandMeta(`receive-${sku}-${receipt}`));
    await writer.whenIdle();

    expect(savedVersions(sku)).toEqual([9, 19]);
    await expectEachSnapshotToMatchItsStream(
      store,
      saves.mock.calls.flatMap(([batch]) => batch),
    );
  });

  it('given group commits of 100 reservations on one SKU, when they are written, then each batch that passes the interval leaves one snapshot, of the state at its end', async () => {
    const { store, saves, writer, savedVersions } = setup({ snapshotInterval: 150, maxBatchSize: 100 });
    const sku = randomSku('HOT');
    await writer.receiveStock(sku, 1_000, commandMeta(`receive-${sku}`));

    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        writer.reserve(`${sku}-c${i}`, [{ sku, quantity: 1 }], commandMeta(`reserve-${sku}-${i}`)),
      ),
    );
    await writer.whenIdle();

    // Versions: the receipt is 0, each batch adds 100: ends at 100, 200, … 500.
    expect(savedVersions(sku)).toEqual([200, 400]);
    await expectEachSnapshotToMatchItsStream(
      store,
      saves.mock.calls.flatMap(([batch]) => batch),
    );
  });

  it('given snapshots off (interval 0), when a SKU gets many events, then no snapshot is written', async () => {
    const { saves, writer } = setup({ snapshotInterval: 0 });
    const sku = randomSku();

    for (let receipt = 0; receipt < 30; receipt++)
      await writer.receiveStock(sku, 1, commandMeta(`receive-${sku}-${receipt}`));
    await writer.snapshotBeforeStop();

    expect(saves).not.toHaveBeenCalled();
  });

  it('given a snapshot that cannot be saved, when commands go on, then they succeed and the failure is reported', async () => {
    const failures: unknown[] = [];
    const { store, writer } = setup({
      snapshotInterval: 5,
      onSnapshotSaveError: (error, streams) => failures.push([(error as Error).message, streams]),
    });
    jest.spyOn(store.snapshotStore(), 'save').mockRejectedValue(new Error('disk full'));
    const sku = randomSku();

    for (let receipt = 0; receipt < 5; receipt++)
      await writer.receiveStock(sku, 1, commandMeta(`receive-${sku}-${receipt}`));
    await writer.whenIdle();

    expect(await writer.receiveStock(sku, 1, commandMeta(`receive-${sku}-last`))).toMatchObject({ onHand: 6 });
    expect(failures).toEqual([['disk full', [stockStream(sku)]]]);
  });

  it('given SKUs some events past their last snapshot, when the writer stops, then those at least 4 past get one at their head and the others none', async () => {
    const { writer, savedVersions } = setup({ snapshotInterval: 100 });
    const [busy, quiet] = [randomSku('BUSY'), randomSku('QUIET')];
    for (let receipt = 0; receipt < 104; receipt++)
      await writer.receiveStock(busy, 1, commandMeta(`receive-${busy}-${receipt}`));
    for (let receipt = 0; receipt < 3; receipt++)
      await writer.receiveStock(quiet, 1, commandMeta(`receive-${quiet}-${receipt}`));

    expect(await writer.snapshotBeforeStop()).toBe(1);

    expect(savedVersions(busy)).toEqual([99, 103]);
    expect(savedVersions(quiet)).toEqual([]);
  });

  it('given a stop whose time is up, when it snapshots, then it takes none rather than overrun', async () => {
    const { writer, savedVersions } = setup({ snapshotInterval: 100 });
    const sku = randomSku();
    for (let receipt = 0; receipt < 10; receipt++)
      await writer.receiveStock(sku, 1, commandMeta(`receive-${sku}-${receipt}`));

    expect(await writer.snapshotBeforeStop({ withinMs: 0 })).toBe(0);
    expect(savedVersions(sku)).toEqual([]);
  });
});

import { InMemoryEventStore, Snapshot } from '@stockade/event-store';
import { evolveStock, initialStockState, StockEvent, StockState } from '@stockade/inventory-domain';
import { createInventoryCaches } from './inventory-caches';
import { STOCK_SNAPSHOT_SCHEMA_VERSION, stockSnapshotCodec } from './stock-snapshot-codec';
import { stockStream } from './streams';
import { appendStockEvents, countStreamReads, randomStockHistory, seededRandom } from './testing/stock-histories';

const SKU = 'LAMP';
const stream = stockStream(SKU);

/** A store holding `count` stock events of SKU, and the state a full fold of them gives. */
async function aStockStream(count: number, seed = 1) {
  const store = new InMemoryEventStore();
  const events = randomStockHistory(SKU, count, seededRandom(seed));
  const ids = await appendStockEvents(store, stream, events);
  return { store, events, ids, folded: events.reduce(evolveStock, initialStockState()) };
}

const snapshotAt = (
  version: number,
  eventId: string,
  state: StockState,
  schemaVersion = STOCK_SNAPSHOT_SCHEMA_VERSION,
): Snapshot => ({
  stream,
  version,
  eventId,
  schemaVersion,
  state: stockSnapshotCodec.encode(state),
});

/** What a load gives the writer (the cache keeps more about an entry). */
const stateAndVersion = ({ state, version }: { state: StockState; version: number }) => ({ state, version });

/** The writer's stock cache, on a new store object's worth of state: nothing in memory yet. */
const coldCache = (store: InMemoryEventStore, snapshotInterval = 100) =>
  createInventoryCaches(store, { maxCachedStreams: 100, snapshotInterval, onSnapshotSaveError: () => undefined });

describe('StreamCache with snapshots', () => {
  it('given a stream with a snapshot at version v, when loaded cold, then only the events from v on are read and the state is the full fold', async () => {
    const { store, events, ids, folded } = await aStockStream(250);
    await store
      .snapshotStore()
      .save([snapshotAt(199, ids[199] as string, events.slice(0, 200).reduce(evolveStock, initialStockState()))]);
    const reads = countStreamReads(store);

    const loaded = stateAndVersion(await coldCache(store).stock.fresh(stream));

    // The event at v itself is read too: it is how the snapshot is checked against the stream.
    expect(reads.eventsRead()).toBe(250 - 199);
    expect(loaded).toEqual({ state: folded, version: 249 });
  });

  it.each([
    // Events read: the check at the snapshot's version (if the stream reaches it), then the whole stream.
    [
      'of a schema version this code does not know',
      250,
      (ids: string[], state: StockState) =>
        snapshotAt(199, ids[199] as string, state, STOCK_SNAPSHOT_SCHEMA_VERSION + 1),
    ],
    [
      'whose state is not a stock state',
      250,
      (ids: string[]) => ({ ...snapshotAt(199, ids[199] as string, initialStockState()), state: { onHand: 'many' } }),
    ],
    [
      'ahead of the stream (the store was reset)',
      0 + 250,
      (_ids: string[], state: StockState) => snapshotAt(400, 'an-event-of-the-old-store', state),
    ],
    [
      'of another history (reset, then written past it again)',
      51 + 250,
      (_ids: string[], state: StockState) => snapshotAt(199, 'an-event-of-the-old-store', state),
    ],
  ])(
    'given a snapshot %s, when loaded cold, then it is ignored and the stream is folded from 0',
    async (_case, expectedReads, snapshotOf) => {
      const { store, ids, folded } = await aStockStream(250);
      await store.snapshotStore().save([snapshotOf(ids, { ...folded, onHand: folded.onHand + 1_000 })]);
      const reads = countStreamReads(store);

      const loaded = stateAndVersion(await coldCache(store, 1_000).stock.fresh(stream));

      expect(loaded).toEqual({ state: folded, version: 249 });
      expect(reads.eventsRead()).toBe(expectedReads);
    },
  );

  it('given a schema-2 snapshot (the release before listings) and a listing after it, when loaded cold, then the snapshot is used and the listing folded on top', async () => {
    const store = new InMemoryEventStore();
    const listing = { name: 'Desk lamp', unitPrice: 39.5 };
    const adjusted = (onHand: number, listed = false): StockEvent => ({
      type: 'StockAdjusted',
      data: { sku: SKU, delta: -1, reason: 'count', onHand, reserved: 0, ...(listed ? { listing } : {}) },
    });
    const events: StockEvent[] = [
      { type: 'StockReceived', data: { sku: SKU, quantity: 1_000, onHand: 1_000, reserved: 0 } },
      ...Array.from({ length: 219 }, (_, i) => adjusted(999 - i)),
      { type: 'ProductListed', data: { sku: SKU, listing, onHand: 781, reserved: 0 } },
      ...Array.from({ length: 29 }, (_, i) => adjusted(780 - i, true)),
    ];
    const ids = await appendStockEvents(store, stream, events);
    const { listing: _none, ...stateBeforeListings } = events.slice(0, 200).reduce(evolveStock, initialStockState());
    await store.snapshotStore().save([
      {
        stream,
        version: 199,
        eventId: ids[199] as string,
        schemaVersion: 2,
        state: JSON.parse(JSON.stringify(stateBeforeListings)),
      },
    ]);
    const reads = countStreamReads(store);

    const loaded = stateAndVersion(await coldCache(store, 1_000).stock.fresh(stream));

    expect(reads.eventsRead()).toBe(250 - 199);
    expect(loaded).toEqual({ state: events.reduce(evolveStock, initialStockState()), version: 249 });
    expect(loaded.state.listing).toEqual(listing);
  });

  it('given random histories and snapshots at random versions, when loaded cold, then the state always equals a full fold', async () => {
    const random = seededRandom(42);
    for (let history = 0; history < 40; history++) {
      const length = 1 + Math.floor(random() * 300);
      const { store, events, ids, folded } = await aStockStream(length, history + 1);
      const at = Math.floor(random() * length);
      await store
        .snapshotStore()
        .save([snapshotAt(at, ids[at] as string, events.slice(0, at + 1).reduce(evolveStock, initialStockState()))]);

      const loaded = stateAndVersion(await coldCache(store, 1 + Math.floor(random() * 100)).stock.fresh(stream));

      expect({ history, loaded }).toEqual({ history, loaded: { state: folded, version: length - 1 } });
    }
  });

  it('given a long stream without a snapshot, when loaded cold, then it leaves one at its head for the next cold load', async () => {
    const { store, ids, folded } = await aStockStream(150);
    const caches = coldCache(store, 100);

    await caches.stock.fresh(stream);
    await caches.stockSnapshots?.whenSaved();

    expect(await store.snapshotStore().load(stream)).toEqual(snapshotAt(149, ids[149] as string, folded));
  });

  it('given a stream shorter than the interval, when loaded cold, then no snapshot is taken', async () => {
    const { store } = await aStockStream(99);
    const caches = coldCache(store, 100);

    await caches.stock.fresh(stream);
    await caches.stockSnapshots?.whenSaved();

    expect(await store.snapshotStore().load(stream)).toBeUndefined();
  });

  it('given snapshots off (interval 0), when loaded cold, then snapshots are neither read nor written', async () => {
    const { store, ids, folded } = await aStockStream(300);
    await store.snapshotStore().save([snapshotAt(299, ids[299] as string, { ...folded, onHand: -1 })]);
    const load = jest.spyOn(store.snapshotStore(), 'load');
    const save = jest.spyOn(store.snapshotStore(), 'save');

    const loaded = await coldCache(store, 0).stock.fresh(stream);

    expect(loaded.state).toEqual(folded);
    expect(load).not.toHaveBeenCalled();
    expect(save).not.toHaveBeenCalled();
  });
});

import { InMemoryEventStore } from '@stockade/event-store';
import type { EventStore } from '@stockade/event-store';
import { anEvent } from '@stockade/event-store/testing';
import { StreamCache } from './stream-cache';

interface Added {
  readonly type: 'Added';
  readonly data: { readonly amount: number };
}

const sum = {
  isEvent: (event: { readonly type: string }): event is Added => event.type === 'Added',
  evolve: (total: number, event: Added) => total + event.data.amount,
  initialState: () => 0,
};

/** An in-memory store that claims to know about other writers, through a marker the test moves. */
function storeWithMarker(): { store: EventStore; moveMarker: () => void } {
  const store = new InMemoryEventStore();
  let marker = 1;
  Object.assign(store, { externalWriteMarker: () => marker });
  return { store, moveMarker: () => (marker += 1) };
}

async function add(store: EventStore, stream: string, amount: number): Promise<void> {
  await store.appendToStream(stream, [anEvent({ type: 'Added', data: { amount } })], { expectedVersion: 'any' });
}

describe('StreamCache', () => {
  it('given a cached stream and a marker that has not moved, when asked for it fresh, then the store is not asked for its version', async () => {
    const { store } = storeWithMarker();
    await add(store, 's-1', 5);
    const cache = new StreamCache(store, sum, 100);
    await cache.fresh('s-1');
    const streamVersion = jest.spyOn(store, 'streamVersion');

    const again = await cache.fresh('s-1');

    expect(again).toMatchObject({ state: 5, version: 0 });
    expect(streamVersion).not.toHaveBeenCalled();
  });

  it('given cached streams and the marker a batch read at its start, when each is asked for fresh with it, then the store is asked for neither marker nor version', async () => {
    const { store } = storeWithMarker();
    await add(store, 's-1', 5);
    await add(store, 's-2', 3);
    const cache = new StreamCache(store, sum, 100);
    await cache.fresh('s-1');
    await cache.fresh('s-2');
    const batchMarker = cache.marker();
    const markerCalls = jest.spyOn(store as EventStore & { externalWriteMarker(): number }, 'externalWriteMarker');
    const streamVersion = jest.spyOn(store, 'streamVersion');

    const states = [await cache.fresh('s-1', batchMarker), await cache.fresh('s-2', batchMarker)];

    expect(states.map((entry) => entry.state)).toEqual([5, 3]);
    expect(markerCalls).not.toHaveBeenCalled();
    expect(streamVersion).not.toHaveBeenCalled();
  });

  it('given a cached stream, when someone else appended and the marker moved, then the new events are folded in', async () => {
    const { store, moveMarker } = storeWithMarker();
    await add(store, 's-1', 5);
    const cache = new StreamCache(store, sum, 100);
    await cache.fresh('s-1');

    await add(store, 's-1', 7);
    moveMarker();

    expect(await cache.fresh('s-1')).toMatchObject({ state: 12, version: 1 });
  });

  it('given a state set with the marker read before loading, when someone else wrote in between, then the next read checks the store', async () => {
    const { store, moveMarker } = storeWithMarker();
    await add(store, 's-1', 5);
    const cache = new StreamCache(store, sum, 100);
    const before = cache.marker();
    await cache.fresh('s-1');
    await add(store, 's-1', 7); // someone else, while this writer decided
    moveMarker();

    cache.set('s-1', { state: 5, version: 0 }, before);

    expect(await cache.fresh('s-1')).toMatchObject({ state: 12, version: 1 });
  });

  it('given a store without a marker, when asked for a cached stream, then its version is checked every time', async () => {
    const store = new InMemoryEventStore();
    await add(store, 's-1', 5);
    const cache = new StreamCache(store, sum, 100);
    await cache.fresh('s-1');
    const streamVersion = jest.spyOn(store, 'streamVersion');

    await cache.fresh('s-1');

    expect(streamVersion).toHaveBeenCalledWith('s-1');
  });
});

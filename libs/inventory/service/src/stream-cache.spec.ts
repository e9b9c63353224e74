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

import { InMemoryEventStore } from '../memory/in-memory-event-store';
import { describeEventStoreContract } from '../testing/event-store-contract';
import { describeSnapshotStoreContract } from '../testing/snapshot-store-contract';
import { ExpectedVersionConflict } from '../errors';
import type { AppendRequest, EventStore } from '../event-store';
import { GroupCommitEventStore } from './group-commit-event-store';

describeEventStoreContract('group commit over memory', async () => new GroupCommitEventStore(new InMemoryEventStore()));
describeSnapshotStoreContract(
  'group commit over memory',
  async () => new GroupCommitEventStore(new InMemoryEventStore()),
);

const event = (id: string) => ({
  id,
  type: 'Happened',
  data: {},
  metadata: { correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
});

describe('group commit', () => {
  function counting(inner: EventStore) {
    const calls: (readonly AppendRequest[])[] = [];
    const spy = Object.create(inner) as EventStore;
    spy.appendToStreams = (requests) => (calls.push(requests), inner.appendToStreams(requests));
    return { spy, calls };
  }

  it('given 200 writers to different streams at once, then they share a handful of store calls and all succeed', async () => {
    const { spy, calls } = counting(new InMemoryEventStore());
    const store = new GroupCommitEventStore(spy);

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.appendToStream(`order-${i}`, [event(`e${i}`)], { expectedVersion: 'no_stream' }),
      ),
    );

    expect(results.map((r) => r.nextExpectedVersion)).toEqual(Array(200).fill(0));
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('given one stale writer among many, then only it gets ExpectedVersionConflict and the others are written', async () => {
    const store = new GroupCommitEventStore(new InMemoryEventStore());
    await store.appendToStream('order-stale', [event('first')], { expectedVersion: 'no_stream' });

    const outcomes = await Promise.allSettled([
      store.appendToStream('order-a', [event('a')], { expectedVersion: 'no_stream' }),
      store.appendToStream('order-stale', [event('again')], { expectedVersion: 'no_stream' }),
      store.appendToStream('order-b', [event('b')], { expectedVersion: 'no_stream' }),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedVersionConflict);
    expect(await store.streamVersion('order-a')).toBe(0);
    expect(await store.streamVersion('order-b')).toBe(0);
  });

  it('given two writers to the same stream at once, then they are written one after the other, each against the version it expected', async () => {
    const store = new GroupCommitEventStore(new InMemoryEventStore());

    const [first, second] = await Promise.allSettled([
      store.appendToStream('order-x', [event('x1')], { expectedVersion: 'no_stream' }),
      store.appendToStream('order-x', [event('x2')], { expectedVersion: 0 }),
    ]);

    expect([first.status, second.status]).toEqual(['fulfilled', 'fulfilled']);
    expect((await store.readStream('order-x')).map((e) => e.id)).toEqual(['x1', 'x2']);
  });
});

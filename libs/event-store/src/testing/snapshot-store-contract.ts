import type { EventStore } from '../event-store';
import type { Snapshot, SnapshotStore } from '../snapshot-store';
import { anEvent, uniqueStreamName } from './contract-fixtures';

function aSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    stream: uniqueStreamName('snapshot'),
    version: 41,
    eventId: 'event-41',
    schemaVersion: 1,
    state: { total: 41 },
    ...overrides,
  };
}

/**
 * The one statement of what a SnapshotStore does, run in full against every adapter's
 * `EventStore.snapshotStore()`, as the event store contract is. `openStore` and `closeStore`
 * work as in describeEventStoreContract; the store need not be empty (streams are random).
 */
export function describeSnapshotStoreContract(
  adapterName: string,
  openStore: () => Promise<EventStore>,
  closeStore: (store: EventStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`SnapshotStore contract: ${adapterName}`, () => {
    let current: EventStore | undefined;
    beforeEach(async () => {
      current = await openStore();
    });
    afterEach(async () => {
      if (current) await closeStore(current);
      current = undefined;
    });
    const events = (): EventStore => {
      if (!current) throw new Error('the store is only open inside a test');
      return current;
    };
    const snapshots = (): SnapshotStore => events().snapshotStore();

    it('given a stream never snapshotted, when its snapshot is loaded, then there is none', async () => {
      expect(await snapshots().load(uniqueStreamName())).toBeUndefined();
    });

    it('when a snapshot is saved, then loading returns every field, the state as the JSON value it was', async () => {
      const state = {
        sku: 'LAMP-ÄÖ "quoted" \\ 😀',
        onHand: 12,
        ratio: -0.25,
        exists: true,
        gone: null,
        holds: { 'checkout-1': 2, 'checkout-2': 1 },
        lines: [{ sku: 'a', quantity: 1 }, []],
      };
      const snapshot = aSnapshot({ version: 1_000_000, eventId: 'e-1000000', schemaVersion: 7, state });

      await snapshots().save([snapshot]);

      expect(await snapshots().load(snapshot.stream)).toEqual(snapshot);
    });

    it('given a snapshot, when another is saved for the same stream, then the last save wins, even at a lower version', async () => {
      const first = aSnapshot({ version: 499, eventId: 'e-499', state: { n: 499 } });
      await snapshots().save([first]);

      const newer = { ...first, version: 999, eventId: 'e-999', state: { n: 999 } };
      await snapshots().save([newer]);
      expect(await snapshots().load(first.stream)).toEqual(newer);

      const afterReset = { ...first, version: 3, eventId: 'e-3', schemaVersion: 2, state: { n: 3 } };
      await snapshots().save([afterReset]);
      expect(await snapshots().load(first.stream)).toEqual(afterReset);
    });

    it('when several streams are saved in one call, one of them twice, then each keeps its own and the twice-named one its later entry', async () => {
      const [a, b] = [aSnapshot({ state: 'a' }), aSnapshot({ state: 'b' })];
      const laterA = { ...a, version: a.version + 500, eventId: 'e-later', state: 'a later' };

      await snapshots().save([a, b, laterA]);

      expect(await snapshots().load(a.stream)).toEqual(laterA);
      expect(await snapshots().load(b.stream)).toEqual(b);
    });

    it('when the caller changes its state object right after save, then the saved snapshot is what it was at the call', async () => {
      const state: { holds: Record<string, number> } = { holds: { 'checkout-1': 1 } };
      const snapshot = aSnapshot({ state });

      const saving = snapshots().save([snapshot]);
      state.holds['checkout-2'] = 5;
      delete state.holds['checkout-1'];
      await saving;

      expect((await snapshots().load(snapshot.stream))?.state).toEqual({ holds: { 'checkout-1': 1 } });
    });

    it('when a large state (10,000 holds) is saved, then it loads back whole', async () => {
      const holds = Object.fromEntries(
        Array.from({ length: 10_000 }, (_, index) => [`checkout-${index}`, (index % 7) + 1]),
      );
      const snapshot = aSnapshot({ state: { holds } });

      await snapshots().save([snapshot]);

      expect(await snapshots().load(snapshot.stream)).toEqual(snapshot);
    });

    it('when nothing is saved, then the call resolves and stores nothing', async () => {
      await expect(snapshots().save([])).resolves.toBeUndefined();
    });

    it('when snapshots are saved, then they are not events: the stream, the global log and the head position stay as they were', async () => {
      const stream = uniqueStreamName();
      const event = anEvent();
      await events().appendToStream(stream, [event], { expectedVersion: 'no_stream' });
      const head = await events().headPosition();

      await snapshots().save([aSnapshot({ stream, version: 0, eventId: event.id })]);

      expect((await events().readStream(stream)).map((e) => e.id)).toEqual([event.id]);
      expect(await events().streamVersion(stream)).toBe(0);
      expect(await events().headPosition()).toBe(head);
      expect(await events().readAll({ after: head })).toEqual([]);
    });
  });
}

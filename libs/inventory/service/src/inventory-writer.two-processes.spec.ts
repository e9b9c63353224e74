import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, ExpectedVersionConflict, InMemoryEventStore } from '@stockade/event-store';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { isRetriable, ManualClock } from '@stockade/kernel';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import type { ReserveOutcome } from './outcomes';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

/** Counts the conflicts a store reports: proof that the writers really raced. */
function recordingConflicts(store: EventStore, conflicts: ExpectedVersionConflict[]): void {
  const append = store.appendToStreams.bind(store);
  jest.spyOn(store, 'appendToStreams').mockImplementation(async (requests) => {
    try {
      return await append(requests);
    } catch (error) {
      if (error instanceof ExpectedVersionConflict) conflicts.push(error);
      throw error;
    }
  });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * Two writers that each believe they own the SKU, as two processes would: over one in-memory
 * store object, or over two SQLite connections to one file (where the writers' caches also
 * trust SQLite's data_version to tell them whether the other one wrote).
 */
const SETUPS = {
  'one in-memory store': (clock: ManualClock) => {
    const store = new InMemoryEventStore(() => clock.now());
    return [store, store] as const;
  },
  'two SQLite connections to one file': (clock: ManualClock) => {
    const path = join(tmpdir(), `stockade-two-writers-${randomUUID()}.db`);
    const stores = [SqliteEventStore.open(path, { clock }), SqliteEventStore.open(path, { clock })] as const;
    cleanups.push(async () => {
      await Promise.all(stores.map((store) => store.close()));
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    });
    return stores;
  },
};

function twoProcesses(setup: keyof typeof SETUPS) {
  const clock = new ManualClock();
  const [storeA, storeB] = SETUPS[setup](clock);
  const conflicts: ExpectedVersionConflict[] = [];
  recordingConflicts(storeA, conflicts);
  if (storeB !== storeA) recordingConflicts(storeB, conflicts);
  return {
    conflicts,
    a: new InventoryWriter(storeA, { clock }),
    b: new InventoryWriter(storeB, { clock }),
    queries: new InventoryQueries(storeA),
  };
}

/** What the message bus does with a retriable failure: deliver the command again. */
async function withRedelivery(attempt: () => Promise<ReserveOutcome>): Promise<ReserveOutcome> {
  for (let delivery = 1; ; delivery++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetriable(error) || delivery === 10) throw error;
    }
  }
}

describe.each(Object.keys(SETUPS) as Array<keyof typeof SETUPS>)('two InventoryWriters on %s', (setup) => {
  it('given 10 units, when both race 100 one-unit reservations for the SKU, then conflicts are re-decided and exactly 10 are accepted', async () => {
    const { conflicts, a, b, queries } = twoProcesses(setup);
    const sku = randomSku('RACE');
    await a.receiveStock(sku, 10, commandMeta(`r-${sku}`));

    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const writer = i % 2 === 0 ? a : b;
        return withRedelivery(() =>
          writer.reserve(`${sku}-c${i}`, [{ sku, quantity: 1 }], commandMeta(`reserve-${sku}-${i}`)),
        );
      }),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'accepted')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(90);
    expect(conflicts.length).toBeGreaterThan(0);
    expect(await queries.getStock(sku)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  });

  it('given one writer saw a SKU empty, when the other receives stock, then the first one decides on the new stock', async () => {
    const { a, b } = twoProcesses(setup);
    const sku = randomSku('STALE');
    await a.receiveStock(sku, 1, commandMeta(`r1-${sku}`));
    await a.reserve('first', [{ sku, quantity: 1 }], commandMeta(`first-${sku}`));

    await b.receiveStock(sku, 3, commandMeta(`r2-${sku}`));

    expect(await a.reserve('second', [{ sku, quantity: 3 }], commandMeta(`second-${sku}`))).toMatchObject({
      status: 'accepted',
    });
  });
});

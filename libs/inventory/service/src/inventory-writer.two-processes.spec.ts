import { ExpectedVersionConflict, InMemoryEventStore } from '@stockade/event-store';
import { isRetriable, ManualClock } from '@stockade/kernel';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import type { ReserveOutcome } from './outcomes';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

/** Two writers over one store stand for two processes that each believe they own the SKU. */
function twoProcesses() {
  const clock = new ManualClock();
  const store = new InMemoryEventStore(() => clock.now());
  const conflicts: ExpectedVersionConflict[] = [];
  const append = store.appendToStreams.bind(store);
  jest.spyOn(store, 'appendToStreams').mockImplementation(async (requests) => {
    try {
      return await append(requests);
    } catch (error) {
      if (error instanceof ExpectedVersionConflict) conflicts.push(error);
      throw error;
    }
  });
  return { store, conflicts, a: new InventoryWriter(store, { clock }), b: new InventoryWriter(store, { clock }), queries: new InventoryQueries(store) };
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

describe('two InventoryWriters on one store', () => {
  it('given 10 units, when both race 100 one-unit reservations for the SKU, then conflicts are re-decided and exactly 10 are accepted', async () => {
    const { conflicts, a, b, queries } = twoProcesses();
    const sku = randomSku('RACE');
    await a.receiveStock(sku, 10, commandMeta(`r-${sku}`));

    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const writer = i % 2 === 0 ? a : b;
        return withRedelivery(() => writer.reserve(`${sku}-c${i}`, [{ sku, quantity: 1 }], commandMeta(`reserve-${sku}-${i}`)));
      }),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'accepted')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(90);
    expect(conflicts.length).toBeGreaterThan(0);
    expect(await queries.getStock(sku)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  });

  it('given one writer saw a SKU empty, when the other receives stock, then the first one decides on the new stock', async () => {
    const { a, b } = twoProcesses();
    const sku = randomSku('STALE');
    await a.receiveStock(sku, 1, commandMeta(`r1-${sku}`));
    await a.reserve('first', [{ sku, quantity: 1 }], commandMeta(`first-${sku}`));

    await b.receiveStock(sku, 3, commandMeta(`r2-${sku}`));

    expect(await a.reserve('second', [{ sku, quantity: 3 }], commandMeta(`second-${sku}`))).toMatchObject({ status: 'accepted' });
  });
});

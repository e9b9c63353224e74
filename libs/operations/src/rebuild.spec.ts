import { InMemoryEventStore, NewEvent, RecordedEvent } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { IncomingMessage, InMemoryMessageBus } from '@stockade/messaging';
import type { Progress } from './operations-contract';
import { createRebuildOperations, RebuildableProjection } from './rebuild';

const levelEvent = (sku: string, available: number, n: number): NewEvent => ({
  id: `${sku}-${n}`,
  type: 'StockChanged',
  data: { sku, available },
  metadata: { correlationId: sku, causationId: sku, occurredAt: '2026-12-01T00:00:00.000Z' },
});

/** Like the inventory outbox: a state message per stock event, and something for another topic too. */
const stockLevels: RebuildableProjection = {
  description: 'the latest level of every SKU',
  streamPrefix: 'stock-',
  topic: 'levels',
  map: (event: RecordedEvent) => [
    {
      topic: 'levels',
      message: { key: (event.data as { sku: string }).sku, value: { messageId: event.id, data: event.data } },
    },
    { topic: 'audit', message: { key: event.id, value: 'not part of the projection' } },
  ],
};

async function given(store: InMemoryEventStore, levels: Record<string, number[]>): Promise<void> {
  for (const [sku, values] of Object.entries(levels))
    await store.appendToStream(
      `stock-${sku}`,
      values.map((value, index) => levelEvent(sku, value, index)),
      { expectedVersion: 'any' },
    );
  await store.appendToStream('reservation-x', [levelEvent('IGNORED', 1, 0)], { expectedVersion: 'any' });
}

async function consumed(bus: InMemoryMessageBus, topic: string, count: number): Promise<IncomingMessage[]> {
  const seen: IncomingMessage[] = [];
  const subscription = await bus.subscribe({
    groupId: `reader-${Math.random()}`,
    topics: [topic],
    handler: async (message) => void seen.push(message),
  });
  for (let tries = 0; tries < 200 && seen.length < count; tries++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  await subscription.close();
  return seen;
}

describe('rebuilding a state projection', () => {
  it('given SKUs with several level changes each, when stock levels are rebuilt, then exactly the latest level of each SKU is republished, in pages, with progress to the end', async () => {
    const store = new InMemoryEventStore();
    const bus = new InMemoryMessageBus();
    await given(store, { A: [5, 4, 3], B: [10], C: [2, 0] });
    const progress: Progress[] = [];
    const operations = createRebuildOperations({
      store,
      bus,
      clock: new ManualClock(),
      projections: { 'stock-levels': stockLevels },
      pageSize: 2,
      publishBatch: 2,
    });

    const report = await operations.rebuild('stock-levels', { onProgress: (step) => progress.push(step) });

    const republished = await consumed(bus, 'levels', 3);
    expect(report).toMatchObject({ projection: 'stock-levels', eventsRead: 6, keys: 3, published: 3, topic: 'levels' });
    expect(republished.map((message) => [message.key, JSON.parse(message.value).data.available]).sort()).toEqual([
      ['A', 3],
      ['B', 10],
      ['C', 0],
    ]);
    expect(await consumed(bus, 'audit', 1)).toEqual([]);
    expect(progress.filter((step) => step.phase === 'publishing').map((step) => step.done)).toEqual([2, 3]);
    expect(progress.filter((step) => step.phase === 'reading').at(-1)).toEqual({ phase: 'reading', done: 7, total: 7 });
  });

  it('given an unknown projection, then it is refused naming the ones there are', async () => {
    const operations = createRebuildOperations({
      store: new InMemoryEventStore(),
      bus: new InMemoryMessageBus(),
      clock: new ManualClock(),
      projections: { 'stock-levels': stockLevels },
    });

    await expect(operations.rebuild('orders')).rejects.toThrow('unknown projection "orders"; one of: stock-levels');
    expect(operations.rebuildable()).toEqual([
      { name: 'stock-levels', description: 'the latest level of every SKU', topic: 'levels' },
    ]);
  });

  it('given a rebuild that is interrupted, then it stops before publishing anything more', async () => {
    const store = new InMemoryEventStore();
    const bus = new InMemoryMessageBus();
    await given(store, { A: [1], B: [2], C: [3] });
    const stop = new AbortController();
    const operations = createRebuildOperations({
      store,
      bus,
      clock: new ManualClock(),
      projections: { 'stock-levels': stockLevels },
      publishBatch: 1,
    });

    const rebuild = operations.rebuild('stock-levels', {
      signal: stop.signal,
      onProgress: (step) => step.phase === 'publishing' && step.done === 1 && stop.abort(),
    });

    await expect(rebuild).rejects.toThrow();
    expect(await consumed(bus, 'levels', 2)).toHaveLength(1);
  });
});

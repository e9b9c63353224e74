import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from '../message-bus';
import { waitUntil } from '../testing/contract-fixtures';
import { SqliteMessageBus } from './sqlite-message-bus';

describe('retention of the SQLite message log', () => {
  const path = join(tmpdir(), `stockade-retention-${randomUUID()}.db`);
  let bus: SqliteMessageBus;

  beforeEach(() => {
    bus = SqliteMessageBus.open(path, { partitions: 1 });
  });

  afterEach(async () => {
    await bus.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  });

  const publish = (topic: string, from: number, count: number) =>
    bus.publish(
      topic,
      Array.from({ length: count }, (_, i) => ({ key: 'k', value: { n: from + i } })),
    );

  async function consume(groupId: string, topic: string, count: number): Promise<number[]> {
    const seen: IncomingMessage[] = [];
    const subscription = await bus.subscribe({ groupId, topics: [topic], handler: async (m) => void seen.push(m) });
    await waitUntil(() => seen.length >= count, `${groupId} got ${count}`);
    await subscription.close();
    return seen.map((m) => (JSON.parse(m.value) as { n: number }).n);
  }

  async function consumeValues(
    groupId: string,
    topic: string,
    count: number,
  ): Promise<{ sku: string; available: number }[]> {
    const seen: IncomingMessage[] = [];
    const subscription = await bus.subscribe({ groupId, topics: [topic], handler: async (m) => void seen.push(m) });
    await waitUntil(() => seen.length >= count, `${groupId} got ${count}`);
    await subscription.close();
    return seen.map((m) => JSON.parse(m.value) as { sku: string; available: number });
  }

  const storedOffsets = (topic: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db
        .prepare('SELECT offset FROM bus_messages WHERE topic = ? ORDER BY offset')
        .pluck()
        .all(topic) as number[];
    } finally {
      db.close();
    }
  };

  it('given a slow group and a fast one, when pruned, then only what both consumed goes, the slow group still gets the rest, and offsets continue after the newest kept message', async () => {
    await publish('orders', 0, 10);
    await consume('fast', 'orders', 10);
    await consume('slow', 'orders', 10);
    await publish('orders', 10, 10);
    await consume('fast', 'orders', 10);

    expect(await bus.prune()).toBe(10);
    expect(storedOffsets('orders')).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(await consume('slow', 'orders', 10)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

    expect(await bus.prune()).toBe(9);
    expect(storedOffsets('orders')).toEqual([19]);
    await publish('orders', 20, 1);
    expect(await consume('fast', 'orders', 1)).toEqual([20]);
    expect(storedOffsets('orders')).toEqual([19, 20]);
  });

  it('given dead letters and a kept state topic, when pruned, then they stay although consumed', async () => {
    await publish('levels', 0, 3);
    await publish('orders.dlq', 0, 3);
    await consume('reader', 'levels', 3);
    await consume('operator', 'orders.dlq', 3);

    expect(await bus.prune({ keepTopics: ['levels'] })).toBe(0);
    expect(storedOffsets('levels')).toEqual([0, 1, 2]);
    expect(storedOffsets('orders.dlq')).toEqual([0, 1, 2]);
  });

  it('given 5,000 consumed messages, when a prune starts and a publish follows, then the publish commits between two of its small deletes instead of waiting for one long transaction', async () => {
    await publish('orders', 0, 5000);
    await consume('reader', 'orders', 5000);

    let pruneFinished = false;
    const pruning = bus.prune({ batchSize: 100 }).then((deleted) => ((pruneFinished = true), deleted));
    await publish('orders', 5000, 1);
    const storedWhenPublished = storedOffsets('orders').length;

    expect(pruneFinished).toBe(false);
    expect(storedWhenPublished).toBeGreaterThan(4000);
    expect(await pruning).toBe(4999);
    expect(storedOffsets('orders')).toEqual([4999, 5000]);
  });

  it('given a prune with batches of 100, when it deletes 1,000 messages, then no delete transaction removes more than 100', async () => {
    await publish('orders', 0, 1001);
    await consume('reader', 'orders', 1001);
    const observer = new Database(path, { readonly: true });
    const counts: number[] = [];
    const count = () => observer.prepare('SELECT COUNT(*) FROM bus_messages').pluck().get() as number;
    let finished = false;
    const pruning = bus.prune({ batchSize: 100 }).finally(() => (finished = true));
    // Between two turns the observer sees each committed step.
    while (!finished) {
      counts.push(count());
      await new Promise((resolve) => setImmediate(resolve));
    }
    counts.push(count());
    observer.close();

    expect(await pruning).toBe(1000);
    const steps = counts.slice(1).map((after, i) => (counts[i] as number) - after);
    expect(Math.max(...steps)).toBeLessThanOrEqual(100);
    expect(counts.at(-1)).toBe(1);
  });

  it("given 10,000 level changes of 10 SKUs read by a group, when the compacted topic is pruned, then about 10 messages are left and a new reader from the beginning gets each SKU's latest level", async () => {
    const skus = Array.from({ length: 10 }, (_, i) => `SKU-${i}`);
    for (let round = 0; round < 1000; round += 100) {
      await bus.publish(
        'levels',
        Array.from({ length: 100 }, (_, i) => i + round).flatMap((n) =>
          skus.map((sku) => ({ key: sku, value: { sku, available: n } })),
        ),
      );
    }
    await consume('live', 'levels', 10_000);

    const deleted = await bus.prune({ compactTopics: ['levels'] });

    expect(deleted).toBe(9_990);
    expect(storedOffsets('levels')).toHaveLength(10);
    const fresh = await consumeValues('new-reader', 'levels', 10);
    expect(new Map(fresh.map((level) => [level.sku, level.available]))).toEqual(new Map(skus.map((sku) => [sku, 999])));
  });

  it("given a compacted topic a group has read half of, when pruned, then only superseded messages it has read go: a key's latest stays though read, and the group still gets every later one", async () => {
    await bus.publish(
      'levels',
      Array.from({ length: 10 }, (_, n) => ({ key: 'A', value: { sku: 'A', available: n } })),
    );
    await bus.publish('levels', [{ key: 'B', value: { sku: 'B', available: 7 } }]);
    await consume('slow', 'levels', 11);
    await bus.publish(
      'levels',
      Array.from({ length: 10 }, (_, n) => ({ key: 'A', value: { sku: 'A', available: 10 + n } })),
    );

    expect(await bus.prune({ compactTopics: ['levels'] })).toBe(10);
    expect(storedOffsets('levels')).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect((await consumeValues('slow', 'levels', 10)).map((level) => level.available)).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    expect(await bus.prune({ compactTopics: ['levels'] })).toBe(9);
    expect((await consumeValues('new-reader', 'levels', 2)).map((level) => [level.sku, level.available])).toEqual([
      ['B', 7],
      ['A', 19],
    ]);
  });

  it('given a group idle for longer than the limit, when pruned, then it no longer holds messages back; a topic nobody reads is kept', async () => {
    await publish('orders', 0, 5);
    await publish('unread', 0, 5);
    await consume('active', 'orders', 5);
    await consume('gone', 'orders', 1).catch(() => undefined);
    const db = new Database(path);
    db.prepare(`UPDATE bus_group_offsets SET next_offset = 1, committed_at = 1 WHERE group_id = 'gone'`).run();
    db.close();

    expect(await bus.prune({ groupIdleMs: 24 * 3600_000 })).toBe(4);
    expect(storedOffsets('orders')).toEqual([4]);
    expect(storedOffsets('unread')).toEqual([0, 1, 2, 3, 4]);
  });
});

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
    bus.publish(topic, Array.from({ length: count }, (_, i) => ({ key: 'k', value: { n: from + i } })));

  async function consume(groupId: string, topic: string, count: number): Promise<number[]> {
    const seen: IncomingMessage[] = [];
    const subscription = await bus.subscribe({ groupId, topics: [topic], handler: async (m) => void seen.push(m) });
    await waitUntil(() => seen.length >= count, `${groupId} got ${count}`);
    await subscription.close();
    return seen.map((m) => (JSON.parse(m.value) as { n: number }).n);
  }

  const storedOffsets = (topic: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT offset FROM bus_messages WHERE topic = ? ORDER BY offset').pluck().all(topic) as number[];
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

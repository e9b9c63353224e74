import { InvariantViolation } from '@stockade/kernel';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, MessageBus } from '../message-bus';
import { describeMessageBusContract } from '../testing/message-bus-contract';
import { waitUntil } from '../testing/contract-fixtures';
import { SqliteMessageBus } from './sqlite-message-bus';

function aTempFile(): string {
  return join(tmpdir(), `stockade-message-bus-${randomUUID()}.db`);
}

/** The database file and its WAL companions. */
function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

const files = new WeakMap<MessageBus, string>();

describeMessageBusContract(
  'SQLite file',
  async () => {
    const path = aTempFile();
    const bus = SqliteMessageBus.open(path);
    files.set(bus, path);
    return bus;
  },
  async (bus) => {
    await bus.close();
    removeDatabase(files.get(bus) as string);
  },
);

describe('SqliteMessageBus on a file', () => {
  let path: string;
  let opened: MessageBus[];

  beforeEach(() => {
    path = aTempFile();
    opened = [];
  });

  afterEach(async () => {
    await Promise.all(opened.map((bus) => bus.close()));
    removeDatabase(path);
  });

  function open(options: Parameters<typeof SqliteMessageBus.open>[1] = {}): SqliteMessageBus {
    const bus = SqliteMessageBus.open(path, options);
    opened.push(bus);
    return bus;
  }

  function collect(received: IncomingMessage[]) {
    return async (message: IncomingMessage) => void received.push(message);
  }

  it('given published messages and a group that consumed some, when the bus is closed and reopened, then messages and committed offsets survived', async () => {
    const first = open();
    await first.publish(
      'orders',
      Array.from({ length: 10 }, (_, n) => ({ key: 'order-1', value: n })),
    );
    const consumed: IncomingMessage[] = [];
    await first.subscribe({ groupId: 'billing', topics: ['orders'], handler: collect(consumed) });
    await waitUntil(() => consumed.length === 10, 'billing consumed all 10');
    await first.close();
    await first.close();

    const second = open();
    await second.publish('orders', [{ key: 'order-1', value: 10 }]);
    const resumed: IncomingMessage[] = [];
    const fromScratch: IncomingMessage[] = [];
    await second.subscribe({ groupId: 'billing', topics: ['orders'], handler: collect(resumed) });
    await second.subscribe({ groupId: 'audit', topics: ['orders'], handler: collect(fromScratch) });

    await waitUntil(
      () => resumed.length === 1 && fromScratch.length === 11,
      'billing resumed and audit read everything',
    );
    expect(resumed.map((message) => JSON.parse(message.value))).toEqual([10]);
    expect(fromScratch.map((message) => JSON.parse(message.value))).toEqual(Array.from({ length: 11 }, (_, n) => n));
  });

  it('given two buses on one file (as two processes would be), when one publishes, then the other’s subscriber receives it by polling', async () => {
    const consumerSide = open({ pollIntervalMs: 10 });
    const producerSide = open();
    const received: IncomingMessage[] = [];
    await consumerSide.subscribe({ groupId: 'g', topics: ['stock'], handler: collect(received) });

    await producerSide.publish('stock', [
      { key: 'sku-1', value: 'a' },
      { key: 'sku-1', value: 'b' },
    ]);
    await consumerSide.publish('stock', [{ key: 'sku-1', value: 'c' }]);

    await waitUntil(() => received.length === 3, 'all three arrived');
    expect(received.map((message) => [JSON.parse(message.value), message.offset])).toEqual([
      ['a', '0'],
      ['b', '1'],
      ['c', '2'],
    ]);
  });

  it('given two buses on one file that never poll, when the producer side tells the consumer side what it appended, then the message arrives at once', async () => {
    const consumerSide = open({ pollIntervalMs: 3_600_000 });
    const producerSide = open({ pollIntervalMs: 3_600_000 });
    const received: IncomingMessage[] = [];
    await consumerSide.subscribe({ groupId: 'g', topics: ['stock'], handler: collect(received) });
    const told: Array<[string, readonly number[]]> = [];
    producerSide.onAppended((topic, partitions) => {
      told.push([topic, partitions]);
      consumerSide.appendedElsewhere(topic, partitions);
    });

    await producerSide.publish('stock', [{ key: 'sku-1', value: 'a' }]);

    await waitUntil(() => received.length === 1, 'the message arrived without a poll');
    expect(told).toEqual([['stock', [received[0]?.partition]]]);
  });

  it('given two buses on one file that never poll, when nobody tells the consumer side, then it does not see the other side’s message', async () => {
    const consumerSide = open({ pollIntervalMs: 3_600_000 });
    const producerSide = open({ pollIntervalMs: 3_600_000 });
    const received: IncomingMessage[] = [];
    await consumerSide.subscribe({ groupId: 'g', topics: ['stock'], handler: collect(received) });

    await producerSide.publish('stock', [{ key: 'sku-1', value: 'a' }]);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The control for the test above: without the news, only a poll would find it.
    expect(received).toEqual([]);
  });

  it('given a log created with 4 partitions, when reopened with 16, then it refuses, and without a count it adopts 4', async () => {
    await open({ partitions: 4 }).close();

    expect(() => open({ partitions: 16 })).toThrow(InvariantViolation);
    const reopened = open();
    const received: IncomingMessage[] = [];
    await reopened.subscribe({ groupId: 'g', topics: ['t'], handler: collect(received) });
    await reopened.publish(
      't',
      Array.from({ length: 40 }, (_, n) => ({ key: `k-${n}`, value: n })),
    );
    await waitUntil(() => received.length === 40, 'all 40 arrived');
    expect(new Set(received.map((message) => message.partition)).size).toBeLessThanOrEqual(4);
  });

  it('given a closed bus, when publishing, then it refuses', async () => {
    const bus = open();
    await bus.close();

    await expect(bus.publish('t', [{ key: 'k', value: 1 }])).rejects.toThrow(InvariantViolation);
  });
});

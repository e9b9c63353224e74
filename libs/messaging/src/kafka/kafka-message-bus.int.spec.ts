import { StockadeError, ValidationError } from '@stockade/kernel';
import { randomUUID } from 'node:crypto';
import { createServer, Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { DLQ_HEADERS } from '../message-bus';
import { rawReplayOfDeadLetter } from '../dead-letter-replay';
import type { IncomingMessage, MessageBus } from '../message-bus';
import { partitionForKey } from '../log/partition-for-key';
import { describeMessageBusContract } from '../testing/message-bus-contract';
import {
  CONTRACT_TEST_TIMEOUT_MS,
  recordingHandler,
  uniqueGroup,
  uniqueTopic,
  valueOf,
  waitUntil,
} from '../testing/contract-fixtures';
import { KafkaMessageBus } from './kafka-message-bus';
import type { KafkaMessageBusOptions } from './kafka-message-bus-options';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const PARTITIONS = 3;

/** Short group timings: the broker's minimum session timeout, quick heartbeats, short fetch waits. */
function busOptions(overrides: Partial<KafkaMessageBusOptions> = {}): KafkaMessageBusOptions {
  return {
    brokers: BROKERS,
    clientId: `stockade-test-${randomUUID()}`,
    logLevel: logLevel.ERROR,
    partitions: PARTITIONS,
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 10_000, maxWaitTimeMs: 100 },
    ...overrides,
  };
}

/** No broker must fail the run loudly: a skipped or vacuous Kafka suite would hide a broken adapter. */
beforeAll(async () => {
  const [host, port] = (BROKERS[0] ?? '').split(':');
  const socket = new Socket().setTimeout(2_000);
  const reachable = await new Promise<boolean>((resolve) => {
    socket
      .once('connect', () => resolve(true))
      .once('error', () => resolve(false))
      .once('timeout', () => resolve(false));
    socket.connect(Number(port), host ?? '127.0.0.1');
  }).finally(() => socket.destroy());
  if (!reachable) {
    throw new Error(
      `No Kafka broker at ${BROKERS.join(',')} (KAFKA_BROKERS). Start one with \`tools/kafka/kafka.sh start\` ` +
        '(see tools/kafka/README.md), then run KAFKA_BROKERS=127.0.0.1:9092 npx jest --selectProjects messaging.',
    );
  }
});

describeMessageBusContract('Kafka (kafkajs)', () => KafkaMessageBus.connect(busOptions()));

describe('KafkaMessageBus on a broker', () => {
  let opened: MessageBus[];
  const rawKafka = new Kafka({ clientId: 'stockade-test-raw', brokers: BROKERS, logLevel: logLevel.NOTHING });

  beforeEach(() => {
    opened = [];
  });

  afterEach(async () => {
    await Promise.all(opened.map((bus) => bus.close()));
  });

  async function open(overrides: Partial<KafkaMessageBusOptions> = {}): Promise<KafkaMessageBus> {
    const bus = await KafkaMessageBus.connect(busOptions(overrides));
    opened.push(bus);
    return bus;
  }

  it(
    'given a dead letter the broker refuses for good (too large for its dead-letter topic), which kafkajs answers by stopping the consumer without restarting it, when the operator raises the limit, then the consumer, started again, dead-letters it and its partition moves on',
    async () => {
      const topic = uniqueTopic();
      const consumerErrors: unknown[] = [];
      const bus = await open({
        topicSettings: (name) =>
          name === `${topic}.dlq` ? { configEntries: [{ name: 'max.message.bytes', value: '2000' }] } : {},
        onConsumerError: (error) => consumerErrors.push(error),
      });
      const handled: string[] = [];
      const deadLetters = recordingHandler();
      await bus.subscribe({ groupId: uniqueGroup(), topics: [`${topic}.dlq`], handler: deadLetters.handler });
      await bus.subscribe({
        groupId: uniqueGroup(),
        topics: [topic],
        handler: async (message) => {
          if (valueOf(message) === 'poison') throw new ValidationError([{ field: 'value', message: 'poison' }]);
          handled.push(String(valueOf(message)));
        },
      });

      // 1,900 bytes of headers fit the topic but not, with the dead-letter headers added, the 2,000-byte dead-letter topic.
      await bus.publish(topic, [
        { key: 'k', value: 'poison', headers: { padding: 'x'.repeat(1_900) }, partition: 0 },
        { key: 'k', value: 'after the poison', partition: 0 },
      ]);
      await waitUntil(() => consumerErrors.length > 0, 'the consumer crashed');
      const admin = rawKafka.admin();
      await admin.connect();
      try {
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            { type: 2, name: `${topic}.dlq`, configEntries: [{ name: 'max.message.bytes', value: '1048588' }] },
          ],
        });
      } finally {
        await admin.disconnect();
      }

      await waitUntil(() => handled.includes('after the poison'), 'the message after the poison was handled', 60_000);
      // The dead-letter topic is read by a consumer of its own, which may see the letter a moment after the partition moved on.
      await waitUntil(() => deadLetters.received.length > 0, 'the dead letter was received', 30_000);
      expect(deadLetters.received.map(valueOf)).toEqual(['poison']);
    },
    CONTRACT_TEST_TIMEOUT_MS * 2,
  );

  it(
    'given keyed messages, when published, then each lands on the partition partitionForKey names, as in the embedded log',
    async () => {
      const bus = await open();
      const topic = uniqueTopic();
      const { received, handler } = recordingHandler();
      await bus.subscribe({ groupId: uniqueGroup(), topics: [topic], handler });

      await bus.publish(
        topic,
        Array.from({ length: 30 }, (_, n) => ({ key: `sku-${n}`, value: n })),
      );

      await waitUntil(() => received.length === 30, 'all 30 arrived');
      for (const message of received) expect(message.partition).toBe(partitionForKey(message.key, PARTITIONS));
    },
    CONTRACT_TEST_TIMEOUT_MS,
  );

  it(
    'given a non-JSON message from a foreign producer, when the handler refuses it with a ValidationError, then it lands in <topic>.dlq with its bytes and every DLQ header, and later messages of its partition are handled',
    async () => {
      const bus = await open({ partitions: 1 });
      const topic = uniqueTopic();
      const groupId = uniqueGroup();
      const handled: unknown[] = [];
      await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (message) => {
          try {
            handled.push(JSON.parse(message.value));
          } catch {
            throw new ValidationError([{ field: 'value', message: 'not JSON' }]);
          }
        },
      });
      const deadLetters = recordingHandler();
      await bus.subscribe({ groupId: uniqueGroup(), topics: [`${topic}.dlq`], handler: deadLetters.handler });
      const foreign = rawKafka.producer();
      await foreign.connect();
      try {
        await foreign.send({
          topic,
          messages: [{ key: 'sku-1', value: '{not json', headers: { 'x-trace': 'trace-1' } }],
        });
      } finally {
        await foreign.disconnect();
      }
      await bus.publish(topic, [
        { key: 'sku-1', value: 'same key, after the poison' },
        { key: 'sku-2', value: 'other key, same partition' },
      ]);

      await waitUntil(
        () => deadLetters.received.length === 1 && handled.length === 2,
        'the poison was dead-lettered and the rest handled',
      );
      const [deadLetter] = deadLetters.received as [IncomingMessage];
      expect(deadLetter.key).toBe('sku-1');
      expect(deadLetter.value).toBe('{not json');
      expect(deadLetter.headers).toEqual({
        'x-trace': 'trace-1',
        [DLQ_HEADERS.error]: 'value: not JSON',
        [DLQ_HEADERS.errorCode]: 'VALIDATION_FAILED',
        [DLQ_HEADERS.originalTopic]: topic,
        [DLQ_HEADERS.originalPartition]: '0',
        [DLQ_HEADERS.originalOffset]: '0',
        [DLQ_HEADERS.attempts]: '1',
        [DLQ_HEADERS.groupId]: groupId,
        [DLQ_HEADERS.failedAt]: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(handled).toEqual(['same key, after the poison', 'other key, same partition']);
    },
    CONTRACT_TEST_TIMEOUT_MS,
  );

  it(
    'given a consumer closed mid-batch while a message waits for a retry, then only the finished prefix was committed and a new consumer of the group gets the unfinished messages again',
    async () => {
      const bus = await open({ partitions: 1 });
      const topic = uniqueTopic();
      const groupId = uniqueGroup();
      const seen: string[] = [];
      const first = await bus.subscribe({
        groupId,
        topics: [topic],
        retryBackoffMs: 600_000,
        handler: async (message) => {
          seen.push(valueOf(message) as string);
          if (valueOf(message) === 'stuck') throw new Error('downstream is down');
        },
      });
      // One partition, one batch: a-done (0) finishes, a-stuck (1) waits out a backoff, b-1 and b-2 (2, 3) finish.
      await bus.publish(topic, [
        { key: 'a', value: 'a-done' },
        { key: 'a', value: 'stuck' },
        { key: 'b', value: 'b-1' },
        { key: 'b', value: 'b-2' },
      ]);
      await waitUntil(() => seen.includes('stuck') && seen.includes('b-2'), 'the batch ran up to the stuck message');

      await first.close();

      const admin = rawKafka.admin();
      await admin.connect();
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] }).finally(() => admin.disconnect());
      expect(committed?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '1' })]);
      const second = recordingHandler();
      await bus.subscribe({ groupId, topics: [topic], handler: second.handler });
      await waitUntil(() => second.received.length >= 3, 'the second consumer got the unfinished part');
      expect(second.received.map((message) => [valueOf(message), message.offset, message.attempt])).toEqual([
        ['stuck', '1', 1],
        ['b-1', '2', 1],
        ['b-2', '3', 1],
      ]);
    },
    CONTRACT_TEST_TIMEOUT_MS,
  );

  it(
    'given 5,000 messages over 50 keys, when published in calls of 100 through one subscription, then all are handled in per-key order',
    async () => {
      const bus = await open();
      const topic = uniqueTopic();
      const total = 5_000;
      const lastByKey = new Map<string, number>();
      let outOfOrder = 0;
      let handled = 0;
      await bus.subscribe({
        groupId: uniqueGroup(),
        topics: [topic],
        handler: async (message) => {
          const n = valueOf(message) as number;
          if ((lastByKey.get(message.key) ?? -1) >= n) outOfOrder++;
          lastByKey.set(message.key, n);
          handled++;
        },
      });

      const started = performance.now();
      for (let call = 0; call < total / 100; call++) {
        await bus.publish(
          topic,
          Array.from({ length: 100 }, (_, index) => ({ key: `key-${index % 50}`, value: call * 100 + index })),
        );
      }
      const published = performance.now();
      await waitUntil(() => handled === total, 'every message was handled');
      const finished = performance.now();

      expect(outOfOrder).toBe(0);
      // Reported, not asserted: timings on a shared machine vary.
      console.info(
        `Kafka throughput: ${total} messages published in ${Math.round(published - started)} ms, ` +
          `published+consumed in ${Math.round(finished - started)} ms = ${Math.round((total / (finished - started)) * 1000)} msg/s`,
      );
    },
    CONTRACT_TEST_TIMEOUT_MS,
  );

  it(
    'given a payload that is not UTF-8 (and a binary header) from a foreign producer, when it is dead-lettered and replayed, then the dead letter and the replay carry exactly the bytes that were sent',
    async () => {
      const bus = await open({ partitions: 1 });
      const topic = uniqueTopic();
      const sent = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0x80]);
      const binaryHeader = Buffer.from([0x01, 0xff, 0x02]);
      await bus.subscribe({
        groupId: uniqueGroup(),
        topics: [topic],
        handler: async () => {
          throw new ValidationError([{ field: 'value', message: 'not JSON' }]);
        },
      });
      const foreign = rawKafka.producer();
      await foreign.connect();
      try {
        await foreign.send({
          topic,
          messages: [{ key: Buffer.from([0x6b, 0xff]), value: sent, headers: { 'x-binary': binaryHeader } }],
        });
      } finally {
        await foreign.disconnect();
      }

      const reader = bus.deadLetterReader();
      let letters: Awaited<ReturnType<typeof reader.readDeadLetters>> = [];
      for (let tries = 0; tries < 100 && letters.length === 0; tries++) {
        letters = await reader.readDeadLetters(`${topic}.dlq`);
        if (letters.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [letter] = letters as [(typeof letters)[number]];
      expect(Buffer.from(letter.valueBytes as Uint8Array).equals(sent)).toBe(true);
      expect(Buffer.from(letter.original?.key as Uint8Array).equals(Buffer.from([0x6b, 0xff]))).toBe(true);
      expect(Buffer.from(letter.original?.headers['x-binary'] as Uint8Array).equals(binaryHeader)).toBe(true);

      // The replay: the original topic gets the same bytes again, without the dead-letter headers.
      const replayed: { value: Buffer | null; headers: Record<string, unknown> }[] = [];
      const watcher = rawKafka.consumer({ groupId: uniqueGroup() });
      await watcher.connect();
      try {
        await watcher.subscribe({ topics: [topic], fromBeginning: true });
        await watcher.run({
          eachMessage: async ({ message }) =>
            void replayed.push({ value: message.value, headers: message.headers ?? {} }),
        });
        const { topic: original, record } = rawReplayOfDeadLetter({
          ...letter,
          original: letter.original as NonNullable<typeof letter.original>,
        });
        await bus.publishRaw(original, [record]);
        await waitUntil(() => replayed.length === 2, 'the first send and the replay');
      } finally {
        await watcher.disconnect();
      }
      expect(replayed.map((message) => Buffer.from(message.value as Buffer).equals(sent))).toEqual([true, true]);
      expect(Object.keys(replayed[1]?.headers ?? {})).toEqual(['x-binary']);
    },
    CONTRACT_TEST_TIMEOUT_MS,
  );

  it('given probes arriving while a connection check is in flight, then they share it, and a later probe asks the broker again', async () => {
    const bus = await KafkaMessageBus.connect(busOptions());
    try {
      const first = bus.checkConnection();
      const second = bus.checkConnection();

      expect(second).toBe(first);
      expect(await first).toMatchObject({ brokers: '1' });
      const later = bus.checkConnection();
      expect(later).not.toBe(first);
      await later;
    } finally {
      await bus.close();
    }
  });

  it('given no broker listening, when connecting, then it fails with a retriable UNAVAILABLE StockadeError', async () => {
    const port = await aClosedPort();

    const connecting = KafkaMessageBus.connect(
      busOptions({
        brokers: [`127.0.0.1:${port}`],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 500,
      }),
    );

    await expect(connecting).rejects.toThrow(StockadeError);
    await expect(connecting).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });
});

async function aClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

import { Kafka, logLevel } from 'kafkajs';
import type { IncomingMessage } from '@stockade/messaging';
import { KafkaMessageBus } from '@stockade/messaging/kafka';
import { waitUntil } from '@stockade/messaging/testing';
import { HoldingConsumerProcess } from './testing/holding-consumer-process';
import {
  failUnlessBrokerReachable,
  KAFKA_BROKERS,
  KAFKA_TEST_TIMEOUT_MS,
  kafkaBusOptions,
  randomGroup,
  randomTopic,
} from './testing/kafka-test-broker';
import { throughNestTransport } from './testing/nest-transport-bus';

beforeAll(failUnlessBrokerReachable);

describe('a Nest consumer on Kafka killed with SIGKILL', () => {
  let bus: KafkaMessageBus;
  let child: HoldingConsumerProcess | undefined;

  beforeEach(async () => {
    // The child's bus creates the topic and its .dlq when it subscribes; creating them again here
    // would only make kafkajs log the broker's TOPIC_ALREADY_EXISTS answer as an error.
    bus = await KafkaMessageBus.connect(kafkaBusOptions({ createTopics: false }));
  });

  afterEach(async () => {
    await child?.kill();
    child = undefined;
    await bus.close();
  });

  /** The group's committed offset of one partition; '-1' when it has none. */
  async function committedOffset(groupId: string, topic: string, partition: number): Promise<string | undefined> {
    const admin = new Kafka({
      clientId: 'stockade-nest-bus-test-admin',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets?.partitions.find((entry) => entry.partition === partition)?.offset;
    } finally {
      await admin.disconnect();
    }
  }

  it(
    'given a Nest consumer in a child process whose handler has received a message but not finished, when the process is killed with SIGKILL (before the offset is committed), then a new consumer of the same group (through the Nest transport) receives that message again',
    async () => {
      const topic = randomTopic();
      const groupId = randomGroup();
      const value = JSON.stringify({ checkoutId: 'checkout-17', sku: 'DESK-LAMP' });
      child = await HoldingConsumerProcess.start({ busOptions: kafkaBusOptions(), topic, groupId });
      const nest = throughNestTransport(bus);
      await nest.publish(topic, [
        { key: 'checkout-17', value: JSON.parse(value), headers: { 'x-correlation-id': 'corr-17' } },
      ]);
      const held = await child.heldMessage();
      expect(held).toMatchObject({ topic, key: 'checkout-17', value });

      expect(await child.kill()).toBe('SIGKILL');

      expect(await committedOffset(groupId, topic, held.partition)).toBe('-1');
      const redelivered: IncomingMessage[] = [];
      // Resolves once the group rebalanced without the dead member, i.e. after its session timed out (~6 s).
      const survivor = await nest.subscribe({
        groupId,
        topics: [topic],
        handler: async (message) => void redelivered.push(message),
      });
      try {
        await waitUntil(() => redelivered.length >= 1, 'the new consumer of the group received the message');
        expect(redelivered).toEqual([{ ...held, headers: { 'x-correlation-id': 'corr-17' }, attempt: 1 }]);
      } finally {
        await survivor.close();
      }
    },
    KAFKA_TEST_TIMEOUT_MS,
  );
});

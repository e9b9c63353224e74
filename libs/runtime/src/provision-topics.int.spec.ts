import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@stockade/contracts';
import { systemClock } from '@stockade/kernel';
import { loadConfig } from './config';
import { openMessageBus } from './infrastructure';
import { createLogger } from './logger';
import { provisionKafkaTopics } from './provision-topics';

/** npm test starts a broker and sets KAFKA_BROKERS; without one this suite fails, it is not skipped. */
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const admin = new Kafka({
  clientId: 'stockade-test-provision',
  brokers: BROKERS.split(','),
  logLevel: logLevel.NOTHING,
}).admin();

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

function kafkaConfig(prefix: string) {
  return loadConfig({
    STOCKADE_BUS: 'kafka',
    KAFKA_BROKERS: BROKERS,
    STOCKADE_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: '3',
  });
}

async function topicConfig(topic: string, name: string): Promise<string | undefined> {
  const { resources } = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
    includeSynonyms: false,
  });
  return resources[0]?.configEntries.find((entry) => entry.configName === name)?.configValue;
}

describe('provisioning Kafka topics (real broker)', () => {
  it('given a new deployment prefix, when provisioned, then every topic and dead-letter topic exists with its partitions and settings', async () => {
    const prefix = `prov-${randomUUID().slice(0, 8)}.`;

    const created = await provisionKafkaTopics(kafkaConfig(prefix));

    const expected = Object.values(TOPICS).flatMap((topic) => [`${prefix}${topic}`, `${prefix}${topic}.dlq`]);
    expect([...created].sort()).toEqual([...expected].sort());
    const { topics } = await admin.fetchTopicMetadata({ topics: expected });
    expect(topics.map((topic) => topic.partitions.length)).toEqual(expected.map(() => 3));
    expect(await topicConfig(`${prefix}${TOPICS.stockLevels}`, 'cleanup.policy')).toBe('compact');
    expect(await topicConfig(`${prefix}${TOPICS.checkoutRequested}.dlq`, 'retention.ms')).toBe(
      String(30 * 24 * 3600 * 1000),
    );
    expect(await topicConfig(`${prefix}${TOPICS.orderEvents}`, 'cleanup.policy')).toBe('delete');
  });

  it('given sales channels (one with an HTTP token, one on Kafka only), when provisioned, then each has its checkout topic, its outcomes topic and their dead-letter topics', async () => {
    const prefix = `prov-${randomUUID().slice(0, 8)}.`;
    const config = loadConfig({
      STOCKADE_BUS: 'kafka',
      KAFKA_BROKERS: BROKERS,
      STOCKADE_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '3',
      STOCKADE_UPSTREAM_TOKENS: 'web=web-token-0123456789abcdef',
      STOCKADE_CHANNELS: 'pos',
    });

    const created = await provisionKafkaTopics(config);

    const channelTopics = ['checkout.requested', 'order.events']
      .flatMap((topic) => ['pos', 'web'].flatMap((channel) => [`${topic}.${channel}`, `${topic}.${channel}.dlq`]))
      .map((topic) => `${prefix}${topic}`);
    expect(created).toEqual(expect.arrayContaining(channelTopics));
    expect(created).toHaveLength(Object.values(TOPICS).length * 2 + 8);
    const { topics } = await admin.fetchTopicMetadata({
      topics: [`${prefix}order.events.web`, `${prefix}order.events.pos`],
    });
    expect(topics.map((topic) => topic.partitions.length)).toEqual([3, 3]);
    expect(await topicConfig(`${prefix}checkout.requested.web.dlq`, 'retention.ms')).toBe(
      String(30 * 24 * 3600 * 1000),
    );
  });

  it('given provisioned topics, when provisioned again, then nothing is created', async () => {
    const config = kafkaConfig(`prov-${randomUUID().slice(0, 8)}.`);
    await provisionKafkaTopics(config);

    expect(await provisionKafkaTopics(config)).toEqual([]);
  });

  it('given no provisioning step, when a service first publishes stock levels, then the bus creates the topic compacted', async () => {
    const prefix = `prov-${randomUUID().slice(0, 8)}.`;
    const bus = await openMessageBus(kafkaConfig(prefix), 'provision-test', systemClock, createLogger('silent'));

    try {
      await bus.publish(TOPICS.stockLevels, [{ key: 'SKU-1', value: { sku: 'SKU-1', available: 3 } }]);
    } finally {
      await bus.close();
    }

    expect(await topicConfig(`${prefix}${TOPICS.stockLevels}`, 'cleanup.policy')).toBe('compact');
  });
});

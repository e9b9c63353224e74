import { deadLetterTopic, TOPICS } from '@stockade/contracts';
import type { StockadeConfig } from './config';
import { kafkaConnection } from './kafka-connection';
import { kafkaTopicSettings } from './kafka-topic-settings';
import { channelCheckoutTopicsOf, channelOutcomeTopicsOf } from './sales-channels';
import { topicNames } from './topic-names';

/**
 * The provisioning step of a Kafka deployment: every Stockade topic (each configured sales
 * channel's `checkout.requested.<channel>` and `order.events.<channel>` too, ADR 0023) and its dead-letter topic,
 * with the configured partition count (keys hash onto it, so it must be the same everywhere
 * and must not change for a live topic) and each topic's settings (kafkaTopicSettings).
 * Existing topics are left as they are.
 * Returns the topics it created.
 */
export async function provisionKafkaTopics(config: StockadeConfig): Promise<string[]> {
  if (config.STOCKADE_BUS !== 'kafka') throw new Error('STOCKADE_BUS is not kafka: there are no topics to provision');
  // Imported here: everything that loads this library (the embedded runner too) would pay for kafkajs otherwise.
  const [{ Kafka, logLevel }, { createTopicsAndWait, topicToCreate }] = await Promise.all([
    import('kafkajs'),
    import('@stockade/messaging/kafka'),
  ]);
  const kafka = new Kafka({ ...kafkaConnection(config, 'stockade-provision-topics'), logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = topicNames(config);
    const wanted = [
      ...Object.values(TOPICS),
      ...channelCheckoutTopicsOf(config),
      ...channelOutcomeTopicsOf(config),
    ].flatMap((topic) => [names.physical(topic), deadLetterTopic(names.physical(topic))]);
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      const settingsFor = kafkaTopicSettings(config);
      await createTopicsAndWait(
        admin,
        missing.map((topic) => topicToCreate(topic, config.KAFKA_TOPIC_PARTITIONS, settingsFor(topic))),
      );
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

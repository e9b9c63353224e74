import { isDeadLetterTopic, TOPICS } from '@stockade/contracts';
import type { KafkaTopicSettings } from '@stockade/messaging/kafka';
import type { StockadeConfig } from './config';
import { topicNames } from './topic-names';

/**
 * What each Stockade topic needs from Kafka beyond its partitions, by its deployment name:
 * - stock levels are states, not changes: compacted, so the latest level of every SKU stays for
 *   new readers (the cart cache rebuilds from it) however old it is, and older ones go;
 * - dead letters wait for an operator: kept KAFKA_DLQ_RETENTION_MS (default 30 days), not the
 *   broker's default (often 7 days, easily shorter than a holiday);
 * - every topic gets KAFKA_TOPIC_REPLICATION_FACTOR copies when it is set.
 * Everything else keeps the broker's defaults. Applies only to topics Stockade creates: an existing
 * topic is never altered.
 */
export function kafkaTopicSettings(
  config: Pick<
    StockadeConfig,
    'STOCKADE_TOPIC_PREFIX' | 'STOCKADE_TOPIC_NAMES' | 'KAFKA_TOPIC_REPLICATION_FACTOR' | 'KAFKA_DLQ_RETENTION_MS'
  >,
): (topic: string) => KafkaTopicSettings {
  const stockLevels = topicNames(config).physical(TOPICS.stockLevels);
  const replication =
    config.KAFKA_TOPIC_REPLICATION_FACTOR === undefined
      ? {}
      : { replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR };
  return (topic) => {
    if (isDeadLetterTopic(topic))
      return {
        ...replication,
        configEntries: [{ name: 'retention.ms', value: String(config.KAFKA_DLQ_RETENTION_MS) }],
      };
    if (topic === stockLevels) return { ...replication, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] };
    return replication;
  };
}

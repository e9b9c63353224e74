import { loadConfig } from './config';
import { kafkaTopicSettings } from './kafka-topic-settings';

describe('Kafka topic settings', () => {
  it('given the defaults, then stock levels are compacted, dead letters kept 30 days, and the rest left to the broker', () => {
    const settingsFor = kafkaTopicSettings(loadConfig({}));

    expect(settingsFor('inventory.stock-levels')).toEqual({
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    expect(settingsFor('checkout.requested.dlq')).toEqual({
      configEntries: [{ name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) }],
    });
    expect(settingsFor('order.events')).toEqual({});
  });

  it('given a prefix, a renamed topic and a replication factor, then settings follow the deployment names and every topic is replicated', () => {
    const config = loadConfig({
      STOCKADE_TOPIC_PREFIX: 'shop-a.',
      STOCKADE_TOPIC_NAMES: 'inventory.stock-levels=warehouse.levels',
      KAFKA_TOPIC_REPLICATION_FACTOR: '3',
      KAFKA_DLQ_RETENTION_MS: '-1',
    });
    const settingsFor = kafkaTopicSettings(config);

    expect(settingsFor('warehouse.levels')).toEqual({
      replicationFactor: 3,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    expect(settingsFor('shop-a.inventory.stock-levels')).toEqual({ replicationFactor: 3 });
    expect(settingsFor('shop-a.order.events.dlq')).toEqual({
      replicationFactor: 3,
      configEntries: [{ name: 'retention.ms', value: '-1' }],
    });
    expect(settingsFor('shop-a.order.events')).toEqual({ replicationFactor: 3 });
  });

  it('given a dead-letter retention under a minute, then start fails naming KAFKA_DLQ_RETENTION_MS', () => {
    expect(() => loadConfig({ KAFKA_DLQ_RETENTION_MS: '5' })).toThrow(
      /KAFKA_DLQ_RETENTION_MS must be -1 \(forever\) or at least 60000/,
    );
  });
});

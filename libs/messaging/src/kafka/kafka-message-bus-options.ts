import type { Clock } from '@stockade/kernel';
import type { KafkaConfig, logLevel, RetryOptions } from 'kafkajs';
import type { KafkaLog } from './kafka-log';

/** Group-membership timings of every consumer the bus creates. */
export interface KafkaConsumerTimings {
  /** Broker drops a member that sent no heartbeat for this long (default 30 000 ms; brokers refuse < 6 000 by default). */
  readonly sessionTimeoutMs?: number;
  /** How often a consumer heartbeats, also while a long batch or a retry backoff runs (default 3 000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** How long members get to rejoin during a rebalance (default 60 000 ms). */
  readonly rebalanceTimeoutMs?: number;
  /**
   * Longest a fetch waits on the broker for new data (default 500 ms; kafkajs' own default is
   * 5 000). It bounds how long `close()` waits for an idle consumer's fetch to return.
   */
  readonly maxWaitTimeMs?: number;
}

/** How a topic is created: beyond the partition count, which every topic of a bus shares. */
export interface KafkaTopicSettings {
  /** Copies of each partition (default: the broker's `default.replication.factor`). */
  readonly replicationFactor?: number;
  /** Topic-level configs, e.g. `cleanup.policy=compact` or `retention.ms`. */
  readonly configEntries?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

export interface KafkaMessageBusOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: KafkaConfig['sasl'];
  /** TCP connect timeout per broker (default 1 000 ms, kafkajs' default). */
  readonly connectionTimeout?: number;
  /** kafkajs log level (default WARN). */
  readonly logLevel?: logLevel;
  /** Where kafkajs' own lines go (default: kafkajs' console logger); see kafkaLogCreator for the levels. */
  readonly log?: KafkaLog;
  /**
   * kafkajs retry policy for connecting, admin requests and consumers. The idempotent producer
   * keeps kafkajs' unbounded retries unless this is set: bounding them may break its
   * no-duplicate guarantee, but makes `publish` fail instead of waiting out a broker outage.
   */
  readonly retry?: RetryOptions;
  /** Partitions of topics the bus creates (default 8). Keys hash onto them: never change it for a live topic. */
  readonly partitions?: number;
  /**
   * Create every topic (and its `<topic>.dlq`) before first use, with `partitions` partitions
   * (default true). Turn it off where topics are provisioned by operators; the broker's
   * auto-creation (with its own partition count) then applies, if enabled.
   */
  readonly createTopics?: boolean;
  /** Settings of each topic the bus creates (default: the broker's defaults for all). */
  readonly topicSettings?: (topic: string) => KafkaTopicSettings;
  readonly consumer?: KafkaConsumerTimings;
  /** Stamps x-dlq-failed-at (default: system time). */
  readonly clock?: Clock;
  /** Consumer failures kafkajs survived or gave up on (crashes, failed heartbeats). Handler errors never land here. */
  readonly onConsumerError?: (error: unknown) => void;
}

export const KAFKA_DEFAULTS = {
  partitions: 8,
  connectionTimeout: 1_000,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 500,
} as const;

import { deadLetterTopic } from '@stockade/contracts';
import { InvariantViolation, systemClock } from '@stockade/kernel';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { DLQ_HEADERS } from '../message-bus';
import type { MessageBus, OutgoingMessage, SubscribeOptions, Subscription } from '../message-bus';
import type { StoredMessage } from '../log/message-log';
import type { BusBacklog, PartitionBacklog } from '../backlog/bus-backlog';
import type { DeadLetterSource } from '../dead-letter-source';
import { deadLetterFor } from '../engine/dead-letter';
import { KafkaDeadLetterReader } from './kafka-dead-letter-reader';
import { kafkaLogCreator } from './kafka-log';
import { KAFKA_DEFAULTS } from './kafka-message-bus-options';
import type { KafkaMessageBusOptions } from './kafka-message-bus-options';
import { kafkaMessageOf, kafkaRecordsFrom } from './kafka-records';
import type { KafkaRecord } from './kafka-records';
import { KafkaSubscription } from './kafka-subscription';
import type { KafkaSubscriptionHost } from './kafka-subscription';
import { portErrorFromKafka } from './port-error-from-kafka';
import { RenewableProducer } from './renewable-producer';
import { TopicProvisioner } from './topic-provisioner';
import type { RawRecord } from '../raw-publisher';

/** Only the headers a dead letter gains (why it failed, where it came from). */
function dlqHeadersOf(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.values(DLQ_HEADERS).flatMap((name) => (headers[name] === undefined ? [] : [[name, headers[name]]])),
  );
}

/**
 * The MessageBus port on a Kafka cluster (kafkajs 2.2.4): one idempotent producer (acks=all),
 * an admin client that creates topics with the bus's partition count, and one consumer per
 * subscription, driven by the same retry and dead-letter engine as the embedded buses.
 */
export class KafkaMessageBus implements MessageBus, BusBacklog {
  private readonly subscriptions = new Set<KafkaSubscription>();
  private closed = false;
  private connectionCheck: Promise<Readonly<Record<string, string>>> | undefined;

  private constructor(
    private readonly producer: RenewableProducer,
    private readonly admin: Admin,
    private readonly topics: TopicProvisioner,
    private readonly host: KafkaSubscriptionHost,
  ) {}

  /** Connects the producer and the admin client; fails with UNAVAILABLE (retriable) when no broker answers. */
  static async connect(options: KafkaMessageBusOptions): Promise<KafkaMessageBus> {
    const partitions = options.partitions ?? KAFKA_DEFAULTS.partitions;
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      ssl: options.ssl,
      sasl: options.sasl,
      connectionTimeout: options.connectionTimeout ?? KAFKA_DEFAULTS.connectionTimeout,
      logLevel: options.logLevel ?? logLevel.WARN,
      retry: options.retry,
      ...(options.log ? { logCreator: kafkaLogCreator(options.log) } : {}),
    });
    // DefaultPartitioner is kafkajs' Java-compatible murmur2 one: key → partition as in partitionForKey.
    const createProducer = () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // kafkajs refuses an idempotent producer without retries (a resend is how it dedupes).
        ...(options.retry ? { retry: { ...options.retry, retries: Math.max(1, options.retry.retries ?? 5) } } : {}),
      });
    const admin = kafka.admin();
    const onRenewed = (error: unknown) =>
      options.log?.(
        'warn',
        'the broker lost the idempotent producer session (a broker restart?): sending on a new producer',
        { error: error instanceof Error ? error.message : String(error) },
      );
    const [connected, adminConnected] = await Promise.allSettled([
      RenewableProducer.connect(createProducer, onRenewed),
      admin.connect(),
    ]);
    if (connected.status === 'rejected' || adminConnected.status === 'rejected') {
      await Promise.allSettled([
        connected.status === 'fulfilled' ? connected.value.disconnect() : undefined,
        admin.disconnect(),
      ]);
      const failure =
        connected.status === 'rejected' ? connected.reason : (adminConnected as PromiseRejectedResult).reason;
      throw portErrorFromKafka(failure, `connecting to ${options.brokers.join(',')}`);
    }
    const producer = connected.value;
    const topics = new TopicProvisioner(admin, partitions, options.createTopics ?? true, options.topicSettings);
    const timings = {
      sessionTimeoutMs: options.consumer?.sessionTimeoutMs ?? KAFKA_DEFAULTS.sessionTimeoutMs,
      heartbeatIntervalMs: options.consumer?.heartbeatIntervalMs ?? KAFKA_DEFAULTS.heartbeatIntervalMs,
      rebalanceTimeoutMs: options.consumer?.rebalanceTimeoutMs ?? KAFKA_DEFAULTS.rebalanceTimeoutMs,
      maxWaitTimeMs: options.consumer?.maxWaitTimeMs ?? KAFKA_DEFAULTS.maxWaitTimeMs,
    };
    const bus: KafkaMessageBus = new KafkaMessageBus(producer, admin, topics, {
      kafka,
      admin,
      topics,
      timings,
      clock: options.clock ?? systemClock,
      onConsumerError: options.onConsumerError ?? (() => undefined),
      deadLetter: (message, error, attempts, failedAt, groupId) =>
        bus.deadLetter(message, { error, attempts, groupId, failedAt }),
    });
    return bus;
  }

  /** Reads dead-letter topics without consuming them (operators: list, show, replay). Broker topic names. */
  deadLetterReader(): DeadLetterSource {
    return new KafkaDeadLetterReader(this.host.kafka, this.admin);
  }

  /** From the group's committed offsets and the partitions' high watermarks (two admin calls per topic). */
  async consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionBacklog[]> {
    const existing = await this.existingTopics(topics);
    if (existing.length === 0) return [];
    try {
      const committed = await this.admin.fetchOffsets({ groupId, topics: existing });
      const backlog: PartitionBacklog[] = [];
      for (const topic of existing) {
        const committedByPartition = new Map(
          (committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((entry) => [
            entry.partition,
            Number(entry.offset),
          ]),
        );
        for (const { partition, high, low } of await this.admin.fetchTopicOffsets(topic)) {
          // -1: the group never committed on this partition; it would start from the first retained message.
          const from = committedByPartition.get(partition) ?? -1;
          backlog.push({ topic, partition, messages: Math.max(0, Number(high) - (from >= 0 ? from : Number(low))) });
        }
      }
      return backlog;
    } catch (error) {
      throw portErrorFromKafka(error, `reading the lag of ${groupId}`);
    }
  }

  async retainedMessages(topics: readonly string[]): Promise<PartitionBacklog[]> {
    const backlog: PartitionBacklog[] = [];
    try {
      for (const topic of await this.existingTopics(topics)) {
        for (const { partition, high, low } of await this.admin.fetchTopicOffsets(topic))
          backlog.push({ topic, partition, messages: Number(high) - Number(low) });
      }
      return backlog;
    } catch (error) {
      throw portErrorFromKafka(error, 'reading topic offsets');
    }
  }

  /** A topic nobody published to yet does not exist on the broker; asking for its offsets would fail. */
  private async existingTopics(topics: readonly string[]): Promise<string[]> {
    const known = new Set(await this.admin.listTopics());
    return [...new Set(topics)].filter((topic) => known.has(topic));
  }

  /** From the broker's metadata; undefined when the topic does not exist. */
  async partitionsOf(topic: string): Promise<number | undefined> {
    try {
      if (!(await this.admin.listTopics()).includes(topic)) return undefined;
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0]?.partitions.length;
    } catch (error) {
      throw portErrorFromKafka(error, `reading the partitions of ${topic}`);
    }
  }

  /** Resolves when the broker acknowledged every message (acks=all). Refuses the whole call if one message is invalid. */
  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    if (messages.length === 0) return;
    await this.send(topic, kafkaRecordsFrom(messages));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const subscription = await KafkaSubscription.start(this.host, options, () =>
      this.subscriptions.delete(subscription),
    );
    if (this.closed) {
      // close() ran while this consumer was joining and could not see it.
      await subscription.close();
      throw new InvariantViolation('the message bus was closed while subscribing');
    }
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Asks the cluster for its brokers: fails while no broker answers. kafkajs retries for a while
   * first, so while the broker is away a check can outlast the prober's patience; probes that
   * come meanwhile share the check in flight instead of piling up one retry loop each.
   */
  checkConnection(): Promise<Readonly<Record<string, string>>> {
    this.assertOpen();
    this.connectionCheck ??= this.describeCluster().finally(() => (this.connectionCheck = undefined));
    return this.connectionCheck;
  }

  private async describeCluster(): Promise<Readonly<Record<string, string>>> {
    try {
      const cluster = await this.admin.describeCluster();
      return { brokers: String(cluster.brokers.length), controller: String(cluster.controller) };
    } catch (error) {
      throw portErrorFromKafka(error, 'describing the cluster');
    }
  }

  /** Closes every subscription (each finishes and commits its in-flight work), then the producer and admin client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async send(topic: string, records: readonly KafkaRecord[]): Promise<void> {
    try {
      await this.topics.ensureTopics([topic]);
      await this.producer.send({ topic, acks: -1, messages: records.map(kafkaMessageOf) });
    } catch (error) {
      throw portErrorFromKafka(error, `publishing to ${topic}`);
    }
  }

  /** Not refused after close(): closing subscriptions may still dead-letter before the producer disconnects. */
  private async deadLetter(message: StoredMessage, cause: Parameters<typeof deadLetterFor>[1]): Promise<void> {
    // deadLetterFor's partition is the embedded log's; here the producer's partitioner places it by key.
    const { key, value, headers } = deadLetterFor(message, cause, message.partition);
    // The exact bytes that were sent (the UTF-8 reading above replaces what is not UTF-8), with the DLQ headers added.
    const original = message.original;
    const record = original
      ? { key: original.key, value: original.value, headers: { ...original.headers, ...dlqHeadersOf(headers) } }
      : { key, value, headers };
    await this.send(deadLetterTopic(message.topic), [record]);
  }

  /**
   * Publishes records byte for byte, as they are given: a dead letter's replay, so what goes back
   * onto the topic is exactly what was first sent (bytes that are not UTF-8 or not JSON included).
   */
  async publishRaw(topic: string, records: readonly RawRecord[]): Promise<void> {
    this.assertOpen();
    await this.send(topic, records);
  }

  private assertOpen(): void {
    if (this.closed) throw new InvariantViolation('the message bus is closed');
  }
}

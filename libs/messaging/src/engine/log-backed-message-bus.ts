import { isDeadLetterTopic } from '@stockade/contracts';
import { InvariantViolation, systemClock, ValidationError } from '@stockade/kernel';
import type { Clock } from '@stockade/kernel';
import type {
  HandOver,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
} from '../message-bus';
import type { MessageHandoff } from '../handoff/message-handoff';
import type { BusBacklog, PartitionBacklog } from '../backlog/bus-backlog';
import type { DeadLetterSource } from '../dead-letter-source';
import type { LogRecord, MessageLog } from '../log/message-log';
import { partitionForKey } from '../log/partition-for-key';
import { placement } from './placement';
import { LogSubscription } from './log-subscription';
import type { SubscriptionHost } from './log-subscription';

export interface LogBackedMessageBusOptions {
  /** Partitions per topic (default 8). Fixed for the life of the log: keys hash onto them. */
  readonly partitions?: number;
  /** Messages read from one partition at a time (default 500): larger batches, fewer commits. */
  readonly fetchBatchSize?: number;
  /** Stamps x-dlq-failed-at (default: system time). */
  readonly clock?: Clock;
  /** Storage failures a consumer survived by retrying (default: ignored). Handler errors never land here. */
  readonly onConsumerError?: (error: unknown) => void;
  /**
   * Topics whose messages go straight from publisher to this process's consumers (and a linked
   * thread's) instead of into the log (ADR 0031). Every other topic is stored as before.
   */
  readonly handoff?: MessageHandoff;
}

/**
 * The MessageBus semantics over any MessageLog: Kafka-style partitions, per-key order,
 * at-least-once delivery with offsets committed after handling, bounded retries and a
 * dead-letter topic. Consumers in this process are woken on publish (no polling delay).
 */
export class LogBackedMessageBus implements MessageBus, DeadLetterSource, BusBacklog {
  private readonly host: SubscriptionHost;
  private readonly listeners = new Map<string, Set<(partitions: ReadonlySet<number>) => void>>();
  private readonly appendListeners = new Set<(topic: string, partitions: readonly number[]) => void>();
  private readonly subscriptions = new Set<LogSubscription>();
  /** `${groupId}\0${topic}` pairs with a live subscription: two would consume every message twice. */
  private readonly claimedGroupTopics = new Set<string>();
  private closed = false;

  constructor(
    private readonly log: MessageLog,
    options: LogBackedMessageBusOptions = {},
  ) {
    const partitions = options.partitions ?? 8;
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    this.host = {
      log,
      partitions,
      fetchBatchSize: options.fetchBatchSize ?? 500,
      clock: options.clock ?? systemClock,
      onConsumerError: options.onConsumerError ?? (() => undefined),
      partitionOf: (key) => partitionForKey(key, partitions),
      append: (topic, records) => this.append(topic, records),
      listen: (topic, listener) => this.listen(topic, listener),
      ...(options.handoff ? { handoff: options.handoff } : {}),
    };
  }

  private get handoff(): MessageHandoff | undefined {
    return this.host.handoff;
  }

  /** On a handed-over topic: resolves once every consumer group handled the messages (nothing is stored). */
  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await (
      await this.publishHandedOver(topic, messages)
    ).handled;
  }

  /**
   * Accepts the messages (stores them, or hands them over in-process) and says when they were
   * handled: at once for a stored topic, once every consumer group handled them for a handed-over one.
   */
  async publishHandedOver(topic: string, messages: readonly OutgoingMessage[]): Promise<HandOver> {
    this.assertOpen();
    if (messages.length === 0) return HANDLED;
    const records = messages.map((message, index) => this.toRecord(message, index));
    if (this.handoff?.carries(topic)) {
      const handled = this.handoff.hand(topic, records);
      // Observed by whoever awaits `handled`; a caller that drops it must not crash the process.
      handled.catch(() => undefined);
      return { handled };
    }
    await this.append(topic, records);
    return HANDLED;
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const claims = [...new Set(options.topics)].map((topic) => `${options.groupId}\u0000${topic}`);
    const taken = claims.find((claim) => this.claimedGroupTopics.has(claim));
    if (taken)
      throw new InvariantViolation(
        `group ${options.groupId} already has a subscription to ${taken.split('\u0000')[1]} on this bus`,
      );
    claims.forEach((claim) => this.claimedGroupTopics.add(claim));
    try {
      const subscription = await LogSubscription.start(this.host, options, () => {
        claims.forEach((claim) => this.claimedGroupTopics.delete(claim));
        this.subscriptions.delete(subscription);
      });
      if (this.closed) {
        // close() ran while the fetchers were starting and could not see this subscription.
        await subscription.close();
        throw new InvariantViolation('the message bus was closed while subscribing');
      }
      this.subscriptions.add(subscription);
      return subscription;
    } catch (error) {
      claims.forEach((claim) => this.claimedGroupTopics.delete(claim));
      throw error;
    }
  }

  /**
   * Calls `listener` after every append this bus made (publishes and dead letters), once its
   * messages are stored, with the partitions it wrote. Another bus on the same storage (another
   * thread's connection) can be told through {@link appendedElsewhere}. Returns an unsubscribe function.
   */
  onAppended(listener: (topic: string, partitions: readonly number[]) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /**
   * News that another bus appended to the same storage: wakes this bus's consumers of exactly
   * those partitions, as after an append of its own. Without it they would find the messages
   * at their next poll of the storage (if it can be polled at all).
   */
  appendedElsewhere(topic: string, partitions: readonly number[]): void {
    this.wakeConsumers(topic, new Set(partitions));
  }

  /** Every topic of the embedded log has the bus's partition count, from its first message on. */
  async partitionsOf(topic: string): Promise<number | undefined> {
    return (await this.log.topics()).includes(topic) ? this.host.partitions : undefined;
  }

  async deadLetterTopics(): Promise<string[]> {
    return (await this.log.topics()).filter(isDeadLetterTopic);
  }

  async readDeadLetters(topic: string): Promise<IncomingMessage[]> {
    const letters: IncomingMessage[] = [];
    for (let partition = 0; partition < this.host.partitions; partition++) {
      for (let offset = 0; ;) {
        const page = await this.log.read(topic, partition, offset, 500);
        if (page.length === 0) break;
        for (const message of page)
          letters.push({
            topic,
            partition,
            offset: String(message.offset),
            key: message.key,
            value: message.value,
            headers: message.headers,
            attempt: 1,
          });
        offset = (page.at(-1)?.offset ?? offset) + 1;
      }
    }
    return letters;
  }

  async consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionBacklog[]> {
    return this.perPartition(topics, async (topic, partition, end) => {
      const committed = await this.log.committedOffset(groupId, topic, partition);
      return end - (committed ?? (await this.firstRetainedOffset(topic, partition, end)));
    });
  }

  async retainedMessages(topics: readonly string[]): Promise<PartitionBacklog[]> {
    return this.perPartition(
      topics,
      async (topic, partition, end) => end - (await this.firstRetainedOffset(topic, partition, end)),
    );
  }

  /** Partitions that ever held a message (an empty one makes no series), with what `count` says of each. */
  private async perPartition(
    topics: readonly string[],
    count: (topic: string, partition: number, end: number) => Promise<number>,
  ): Promise<PartitionBacklog[]> {
    const backlog: PartitionBacklog[] = [];
    for (const topic of new Set(topics)) {
      for (let partition = 0; partition < this.host.partitions; partition++) {
        const end = await this.log.endOffset(topic, partition);
        if (end > 0) backlog.push({ topic, partition, messages: Math.max(0, await count(topic, partition, end)) });
      }
    }
    return backlog;
  }

  /** Retention deletes consumed messages from the front of a partition: the first one left, or `end` when none is. */
  private async firstRetainedOffset(topic: string, partition: number, end: number): Promise<number> {
    const [first] = await this.log.read(topic, partition, 0, 1);
    return first?.offset ?? end;
  }

  /** Reads the log's end on one partition: fails once the log is closed or its storage does not answer. */
  async checkConnection(): Promise<Readonly<Record<string, string>>> {
    if (this.closed) throw new InvariantViolation('the message bus is closed');
    await this.log.endOffset('__stockade_health', 0);
    return {
      log: 'open',
      subscriptions: String(this.subscriptions.size),
      ...(this.handoff ? { handedOver: this.handoff.carriedTopics().join(',') } : {}),
    };
  }

  /** Closes every subscription (each finishes its in-flight handlers and commits), then the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.handoff?.close();
    await this.log.close();
  }

  private async append(topic: string, records: readonly LogRecord[]): Promise<void> {
    await this.log.append(topic, records);
    const partitions = new Set(records.map((record) => record.partition));
    this.wakeConsumers(topic, partitions);
    if (this.appendListeners.size > 0) {
      const written = [...partitions];
      this.appendListeners.forEach((listener) => listener(topic, written));
    }
  }

  private wakeConsumers(topic: string, partitions: ReadonlySet<number>): void {
    this.listeners.get(topic)?.forEach((listener) => listener(partitions));
  }

  private listen(topic: string, listener: (partitions: ReadonlySet<number>) => void): () => void {
    let listeners = this.listeners.get(topic);
    if (!listeners) this.listeners.set(topic, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private toRecord(message: OutgoingMessage, index: number): LogRecord {
    if (typeof message.key !== 'string')
      throw new ValidationError([{ field: `messages[${index}].key`, message: 'must be a string' }]);
    const value = JSON.stringify(message.value);
    if (value === undefined)
      throw new ValidationError([{ field: `messages[${index}].value`, message: 'must be JSON-serialisable' }]);
    return {
      partition: placement(message, index, this.host.partitions) ?? this.host.partitionOf(message.key),
      key: message.key,
      value,
      headers: { ...message.headers },
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new InvariantViolation('the message bus is closed');
  }
}

const HANDLED: HandOver = { handled: Promise.resolve() };

/**
 * The MessageBus port: Kafka semantics, whatever the adapter. Every adapter (in-memory,
 * SQLite-backed embedded log, Kafka) passes `testing/message-bus-contract.ts`.
 *
 * - At-least-once: a message is delivered until its handler returns; offsets are committed
 *   only after that, so handlers must be idempotent.
 * - Per-key order: messages with the same key are handled one after another, in publish order.
 *   Messages with different keys may be handled concurrently (up to `concurrency`).
 * - Poison messages do not block: a handler error is retried `maxAttempts` times with backoff
 *   when retriable (see `isRetriable`), then the message goes to `<topic>.dlq` with headers
 *   naming the error and its origin, and the partition moves on.
 */

export type Headers = Readonly<Record<string, string>>;

export interface OutgoingMessage {
  readonly key: string;
  /** JSON-serialisable value; adapters serialise it to UTF-8 JSON. */
  readonly value: unknown;
  readonly headers?: Headers;
  /**
   * The partition to place it on, instead of the one its key hashes to: a shard chosen by the
   * publisher (inventory shards, ADR 0020). Per-key order holds among messages of a key placed on
   * the same partition. Must be below the topic's partition count.
   */
  readonly partition?: number;
}

export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  /** The raw UTF-8 payload: parsing and validating it is the handler's job (bad input → DLQ). */
  readonly value: string;
  readonly headers: Headers;
  /** 1 on first delivery to this handler, then 2, 3, … on retries. */
  readonly attempt: number;
}

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** Partitions of one topic held by a subscription. */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
  /** Messages with distinct keys handled at once per subscription (default 64). */
  readonly concurrency?: number;
  /** Attempts before dead-lettering a retriable failure (default 5). Non-retriable: 1. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt (default 50 ms). */
  readonly retryBackoffMs?: number;
  /** Where a new group starts: the earliest retained message (default) or only new ones. */
  readonly fromBeginning?: boolean;
  /**
   * The group lives only as long as this subscription: on a broker (Kafka) it is deleted when the
   * subscription closes, so a process that needs a fresh group at every start (to re-read a
   * compacted topic from the beginning) leaves none behind after a clean stop.
   */
  readonly ephemeral?: boolean;
  /**
   * Told which partitions this subscription holds, whenever that changes: before the first message
   * of a new assignment is handled, with an empty list when they are taken away (a rebalance
   * starts, the subscription closes). On a broker it follows group membership; the log-backed
   * buses hold every partition. What a single writer per partition (an inventory shard) follows.
   * Must not throw; it runs synchronously inside the consumer.
   */
  readonly onAssignment?: (assignment: readonly TopicPartitions[]) => void;
}

export interface Subscription {
  /**
   * Stops fetching, waits for in-flight handlers, commits what they finished. A message
   * waiting for a retry is left uncommitted (redelivered later) rather than waited for.
   */
  close(): Promise<void>;
}

/** What a publish to a bus that may hand messages over in-process resolves with (ADR 0031). */
export interface HandOver {
  /** Resolves once the messages were handled by every consumer group (at once when the bus stored them); rejects when some were not. */
  readonly handled: Promise<void>;
}

export interface MessageBus {
  /** Resolves once the messages are durably accepted by the bus (acks=all for Kafka). */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /**
   * Optional, on a bus that hands some topics over in-process instead of storing them (the
   * embedded bus, ADR 0031): resolves once the messages are accepted, in publish order, with a
   * promise of their handling. A relay keeps its checkpoint behind what is not handled yet, as
   * the event log, not the bus, is then what makes those messages durable.
   */
  publishHandedOver?(topic: string, messages: readonly OutgoingMessage[]): Promise<HandOver>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Resolves with a few details when the bus can reach what it runs on (the broker, the log
   * file), rejects when it cannot: what a readiness check asks. It may take as long as the
   * adapter's own retries; callers bound it with a timeout.
   */
  checkConnection(): Promise<Readonly<Record<string, string>>>;
  /**
   * Optional: how many partitions the topic has, undefined when it does not exist yet (and would be
   * created with the bus's partition count on first use). What a start-up check of shard counts asks.
   */
  partitionsOf?(topic: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** The publishing half of the port: what a service that only emits (carts) depends on. */
export type MessagePublisher = Pick<MessageBus, 'publish'>;

/** Headers the bus writes on a dead-lettered message. */
export const DLQ_HEADERS = {
  error: 'x-dlq-error',
  errorCode: 'x-dlq-error-code',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  attempts: 'x-dlq-attempts',
  groupId: 'x-dlq-group-id',
  failedAt: 'x-dlq-failed-at',
} as const;

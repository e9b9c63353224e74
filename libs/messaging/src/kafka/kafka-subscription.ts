import { deadLetterTopic } from '@stockade/contracts';
import type { Clock } from '@stockade/kernel';
import type { Admin, Consumer, ConsumerRunConfig, IMemberAssignment, Kafka } from 'kafkajs';
import type { SubscribeOptions, Subscription } from '../message-bus';
import type { StoredMessage } from '../log/message-log';
import { ConcurrencyLimit } from '../engine/concurrency-limit';
import { deliveryPolicyFor, SUBSCRIBE_DEFAULTS } from '../engine/log-subscription';
import { BatchStopSignals } from './batch-stop-signals';
import { handleKafkaBatch } from './handle-kafka-batch';
import type { KafkaConsumerTimings } from './kafka-message-bus-options';
import { portErrorFromKafka } from './port-error-from-kafka';
import type { TopicProvisioner } from './topic-provisioner';
import { whileLeadershipSettles } from './topic-provisioner';

/** What a subscription needs from the bus that owns it. */
export interface KafkaSubscriptionHost {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly topics: TopicProvisioner;
  readonly timings: Required<KafkaConsumerTimings>;
  readonly clock: Clock;
  readonly onConsumerError: (error: unknown) => void;
  readonly deadLetter: (
    message: StoredMessage,
    error: unknown,
    attempts: number,
    failedAt: Date,
    groupId: string,
  ) => Promise<void>;
}

/** The pause before starting again a consumer kafkajs gave up on, doubling per failed start up to the max. */
const FATAL_RESTART_FIRST_MS = 1_000;
const FATAL_RESTART_MAX_MS = 30_000;

/** One kafkajs consumer in the subscription's group. */
export class KafkaSubscription implements Subscription {
  private readonly stops = new BatchStopSignals();
  private closing: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly onClosed: () => void,
    private readonly admin: Admin,
    /** The group to delete on close (SubscribeOptions.ephemeral). */
    private readonly ephemeralGroup: string | undefined,
  ) {}

  /** Resolves once the consumer joined its group and holds its partitions, so nothing published afterwards is missed. */
  static async start(
    host: KafkaSubscriptionHost,
    options: SubscribeOptions,
    onClosed: () => void,
  ): Promise<KafkaSubscription> {
    const topics = [...new Set(options.topics)];
    const fromBeginning = options.fromBeginning ?? SUBSCRIBE_DEFAULTS.fromBeginning;
    const concurrency = options.concurrency ?? SUBSCRIBE_DEFAULTS.concurrency;
    const limit = new ConcurrencyLimit(concurrency);
    // Dead letters are written on the failure path: create their topics now rather than then.
    await host.topics
      .ensureTopics([...topics, ...topics.map(deadLetterTopic)])
      .catch((error: unknown) => Promise.reject(portErrorFromKafka(error, 'creating topics')));
    const { timings } = host;
    const consumer = host.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: timings.sessionTimeoutMs,
      heartbeatInterval: timings.heartbeatIntervalMs,
      rebalanceTimeout: timings.rebalanceTimeoutMs,
      maxWaitTimeInMs: timings.maxWaitTimeMs,
    });
    const subscription = new KafkaSubscription(
      consumer,
      onClosed,
      host.admin,
      options.ephemeral ? options.groupId : undefined,
    );
    const policy = deliveryPolicyFor(options, host.clock, (message, error, attempts, failedAt) =>
      host.deadLetter(message, error, attempts, failedAt, options.groupId),
    );
    const context = {
      limit,
      policy,
      stops: subscription.stops,
      heartbeatIntervalMs: timings.heartbeatIntervalMs,
      onConsumerError: host.onConsumerError,
    };
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning });
      const joined = firstJoin(consumer, host.onConsumerError);
      followAssignments(consumer, options);
      const runConfig: ConsumerRunConfig = {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: concurrency,
        eachBatch: (payload) => handleKafkaBatch(payload, context),
      };
      await consumer.run(runConfig);
      subscription.restartAfterFatalCrashes(runConfig, host.onConsumerError, options.groupId);
      const assignment = await joined;
      if (!fromBeginning)
        await pinAcrossRebalances(host.admin, consumer, options.groupId, assignment, timings.rebalanceTimeoutMs);
      return subscription;
    } catch (error) {
      await subscription.close().catch(() => undefined);
      throw portErrorFromKafka(error, `subscribing group ${options.groupId}`);
    }
  }

  /** Stops starting messages and aborts retry waits, lets in-flight handlers finish and commit, then leaves the group. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /**
   * kafkajs restarts a crashed consumer only when the error was retriable; after any other (a
   * protocol refusal during a broker restart, an error our batch handler let through) it leaves
   * the consumer stopped for good while the process goes on: the group empties and its partitions
   * are never read again. The fault harness found exactly that after a broker restart ("Failed to
   * find group coordinator", tulios/kafkajs#1630, #1445). Such a consumer is started again here,
   * with a growing pause, until the subscription closes.
   */
  private restartAfterFatalCrashes(
    runConfig: ConsumerRunConfig,
    onConsumerError: (error: unknown) => void,
    groupId: string,
  ): void {
    let failures = 0;
    const restart = async (): Promise<void> => {
      if (this.closing) return;
      try {
        await this.consumer.connect();
        await this.consumer.run(runConfig);
        failures = 0;
      } catch (error) {
        onConsumerError(error);
        failures++;
        this.restartTimer = setTimeout(
          () => void restart(),
          Math.min(FATAL_RESTART_MAX_MS, FATAL_RESTART_FIRST_MS * 2 ** failures),
        );
      }
    };
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      if (event.payload.restart || this.closing) return;
      onConsumerError(
        new Error(
          `consumer of group ${groupId} crashed and kafkajs will not restart it (${event.payload.error.name}: ${event.payload.error.message}); restarting it`,
          { cause: event.payload.error },
        ),
      );
      this.restartTimer = setTimeout(() => void restart(), FATAL_RESTART_FIRST_MS);
    });
  }

  private async shutDown(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.stops.stopAll();
    try {
      // disconnect() = stop() (waits for running batches, which commit their prefix) + LeaveGroup + close sockets.
      await this.consumer.disconnect();
      // Empty now that this member left: an ephemeral group goes with it (best effort; Kafka expires empty groups' offsets anyway).
      if (this.ephemeralGroup !== undefined)
        await this.admin.deleteGroups([this.ephemeralGroup]).catch(() => undefined);
    } finally {
      this.onClosed();
    }
  }
}

/**
 * kafkajs' run() swallows a failed join (it reports a CRASH instead), so the join outcome is
 * read from the consumer's events. Later crashes are reported; kafkajs restarts the consumer
 * on retriable ones by itself, and restartAfterFatalCrashes on the others.
 */
function firstJoin(consumer: Consumer, onConsumerError: (error: unknown) => void): Promise<IMemberAssignment> {
  let settled = false;
  return new Promise((resolve, reject) => {
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      if (settled) return;
      settled = true;
      resolve(event.payload.memberAssignment);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (settled) return onConsumerError(event.payload.error);
      settled = true;
      reject(event.payload.error);
    });
  });
}

/** kafkajs rebalances eagerly: a rebalance takes every partition away, and each join gives the new assignment. */
function followAssignments(consumer: Consumer, options: SubscribeOptions): void {
  const tell = options.onAssignment;
  if (!tell) return;
  consumer.on(consumer.events.REBALANCING, () => tell([]));
  consumer.on(consumer.events.GROUP_JOIN, (event) =>
    tell(
      Object.entries(event.payload.memberAssignment).map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions].sort((a, b) => a - b),
      })),
    ),
  );
  consumer.on(consumer.events.STOP, () => tell([]));
}

/** Kafka's answers to a commit made by a member whose group rebalanced under it: join again, then retry. */
const REBALANCED = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID']);
const PIN_ATTEMPTS = 5;

/**
 * Right after the first join the group can rebalance again (a topic's partitions or leaders
 * settling), and the pin's commit is then refused as from an old generation. That is not a
 * reason for the service to fail its start: wait for the next join and pin its assignment.
 */
export async function pinAcrossRebalances(
  admin: Admin,
  consumer: Consumer,
  groupId: string,
  firstAssignment: IMemberAssignment,
  rebalanceTimeoutMs: number,
): Promise<void> {
  let assignment = firstAssignment;
  for (let attempt = 1; ; attempt++) {
    const rejoin = nextJoin(consumer, rebalanceTimeoutMs);
    try {
      await pinNewPartitionsAtEnd(admin, consumer, groupId, assignment);
      return;
    } catch (error) {
      if (attempt >= PIN_ATTEMPTS || !REBALANCED.has(kafkaErrorType(error))) throw error;
      assignment = await rejoin.assignment;
    } finally {
      rejoin.cancel();
    }
  }
}

/** The assignment of the consumer's next GROUP_JOIN; rejects after `timeoutMs`. */
function nextJoin(consumer: Consumer, timeoutMs: number): { assignment: Promise<IMemberAssignment>; cancel(): void } {
  let cancel = () => undefined as void;
  const assignment = new Promise<IMemberAssignment>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the group did not rejoin within ${timeoutMs} ms`)), timeoutMs);
    const removeListener = consumer.on(consumer.events.GROUP_JOIN, (event) => {
      cancel();
      resolve(event.payload.memberAssignment);
    });
    cancel = () => {
      clearTimeout(timer);
      removeListener();
    };
  });
  // Only awaited after a refused commit; otherwise nobody listens, and a late rejection must not go unhandled.
  assignment.catch(() => undefined);
  return { assignment, cancel };
}

/** kafkajs wraps a protocol error the retrier gave up on; its `type` (ILLEGAL_GENERATION, …) is on it or on its cause. */
function kafkaErrorType(error: unknown): string {
  for (
    let current: unknown = error;
    current instanceof Error;
    current = (current as Error & { cause?: unknown }).cause
  ) {
    const type = (current as Error & { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return '';
}

/**
 * A new group reading only new messages must not depend on when kafkajs first asks the broker
 * for the end offset (that happens in its first fetch, after run() resolved): a message
 * published in between would be skipped. So the end is read now, committed (survives this
 * consumer closing before it consumed anything, like the log-backed engine's pin) and sought to.
 */
async function pinNewPartitionsAtEnd(
  admin: Admin,
  consumer: Consumer,
  groupId: string,
  assignment: IMemberAssignment,
): Promise<void> {
  const topics = Object.keys(assignment);
  if (topics.length === 0) return;
  const committed = await admin.fetchOffsets({ groupId, topics });
  const pins: Array<{ topic: string; partition: number; offset: string }> = [];
  for (const { topic, partitions } of committed) {
    const unset = partitions.filter((entry) => entry.offset === '-1' && assignment[topic]?.includes(entry.partition));
    if (unset.length === 0) continue;
    const ends = await whileLeadershipSettles(() => admin.fetchTopicOffsets(topic));
    for (const { partition } of unset)
      pins.push({ topic, partition, offset: ends.find((end) => end.partition === partition)?.offset ?? '0' });
  }
  if (pins.length === 0) return;
  await consumer.commitOffsets(pins);
  pins.forEach((pin) => consumer.seek(pin));
}

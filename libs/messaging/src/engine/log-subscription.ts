import { deadLetterTopic } from '@stockade/contracts';
import type { Clock } from '@stockade/kernel';
import type { SubscribeOptions, Subscription } from '../message-bus';
import type { LogRecord, MessageLog } from '../log/message-log';
import type { MessageHandoff } from '../handoff/message-handoff';
import type { HandoffConsumer } from '../handoff/handed-record';
import { HandoffReceiver } from '../handoff/handoff-receiver';
import { ConcurrencyLimit } from './concurrency-limit';
import { deadLetterFor } from './dead-letter';
import { SUBSCRIBE_MAX_ATTEMPTS, type DeliveryPolicy } from './deliver-with-retries';
import { PartitionFetcher } from './partition-fetcher';
import { StopSignal } from './stop-signal';

/** What a subscription needs from the bus that owns it. */
export interface SubscriptionHost {
  readonly log: MessageLog;
  readonly partitions: number;
  readonly fetchBatchSize: number;
  readonly clock: Clock;
  readonly onConsumerError: (error: unknown) => void;
  readonly partitionOf: (key: string) => number;
  /** Appends and wakes this process's consumers of `topic` (used for dead letters). */
  readonly append: (topic: string, records: readonly LogRecord[]) => Promise<void>;
  /** Calls `listener` with the partitions written after each append to `topic`. Returns an unsubscribe function. */
  readonly listen: (topic: string, listener: (partitions: ReadonlySet<number>) => void) => () => void;
  /** Topics handed over in-process (ADR 0031): their new messages come from here, not from the log. */
  readonly handoff?: MessageHandoff;
}

/** How often a subscription looks whether it read a handed-over topic's old messages, before it takes new ones in memory. */
const BACKLOG_CHECK_MS = 20;

export const SUBSCRIBE_DEFAULTS = {
  concurrency: 64,
  maxAttempts: SUBSCRIBE_MAX_ATTEMPTS,
  retryBackoffMs: 50,
  fromBeginning: true,
} as const;

/** What a subscription's options ask of delivery, defaults filled in; every adapter adds its stop signal. */
export function deliveryPolicyFor(
  options: SubscribeOptions,
  clock: Clock,
  deadLetter: DeliveryPolicy['deadLetter'],
): Omit<DeliveryPolicy, 'stop'> {
  return {
    groupId: options.groupId,
    handler: options.handler,
    maxAttempts: Math.max(1, options.maxAttempts ?? SUBSCRIBE_DEFAULTS.maxAttempts),
    retryBackoffMs: options.retryBackoffMs ?? SUBSCRIBE_DEFAULTS.retryBackoffMs,
    clock,
    deadLetter,
  };
}

/** One subscription: a PartitionFetcher per (topic, partition), sharing one concurrency limit. */
export class LogSubscription implements Subscription {
  private readonly stop = new StopSignal();
  private fetchers: PartitionFetcher[] = [];
  private running: Promise<void>[] = [];
  private unlisten: Array<() => void> = [];
  /** Deliveries of handed-over messages still running: close() waits for them as for the fetchers. */
  private readonly handoffDeliveries = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly host: SubscriptionHost,
    private readonly options: SubscribeOptions,
    private readonly onClosed: () => void,
  ) {}

  static async start(
    host: SubscriptionHost,
    options: SubscribeOptions,
    onClosed: () => void,
  ): Promise<LogSubscription> {
    const subscription = new LogSubscription(host, options, onClosed);
    await subscription.startFetchers();
    return subscription;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async startFetchers(): Promise<void> {
    const { host, options } = this;
    const limit = new ConcurrencyLimit(options.concurrency ?? SUBSCRIBE_DEFAULTS.concurrency);
    const policy = {
      ...deliveryPolicyFor(options, host.clock, (message, error, attempts, failedAt) =>
        host.append(deadLetterTopic(message.topic), [
          deadLetterFor(
            message,
            { error, attempts, groupId: options.groupId, failedAt },
            host.partitionOf(message.key),
          ),
        ]),
      ),
      stop: this.stop,
    };
    const context = {
      log: host.log,
      groupId: options.groupId,
      fetchBatchSize: host.fetchBatchSize,
      limit,
      stop: this.stop,
      policy,
      onError: host.onConsumerError,
    };
    const fetchers = this.fetchers;
    for (const topic of new Set(options.topics)) {
      const byPartition: PartitionFetcher[] = [];
      const ends: number[] = [];
      const handoff = host.handoff?.carries(topic) ? host.handoff : undefined;
      for (let partition = 0; partition < host.partitions; partition++) {
        byPartition.push(new PartitionFetcher(topic, partition, await this.startOffset(topic, partition), context));
        if (handoff) ends.push(await host.log.endOffset(topic, partition));
      }
      if (handoff) {
        handoff.assertMayJoin(topic, options.groupId);
        this.takeHandedOverAfterBacklog(handoff, topic, byPartition, ends, new HandoffReceiver(topic, limit, policy));
      }
      this.unlisten.push(
        host.listen(topic, (partitions) => partitions.forEach((partition) => byPartition[partition]?.wake.notify())),
      );
      fetchers.push(...byPartition);
    }
    const stopWatching = host.log.watchExternalAppends?.(() => fetchers.forEach((fetcher) => fetcher.wake.notify()));
    if (stopWatching) this.unlisten.push(stopWatching);
    // The only member of every group: it holds every partition until it closes.
    const every = Array.from({ length: host.partitions }, (_, partition) => partition);
    options.onAssignment?.([...new Set(options.topics)].map((topic) => ({ topic, partitions: every })));
    this.running = fetchers.map((fetcher) => fetcher.run());
  }

  /**
   * A group resumes where it committed. A new group starting at the end pins that end as its
   * committed offset right away, so a message published after subscribe() resolved is seen
   * even if this subscription closes before consuming anything.
   */
  private async startOffset(topic: string, partition: number): Promise<number> {
    const { log } = this.host;
    const { groupId, fromBeginning = SUBSCRIBE_DEFAULTS.fromBeginning } = this.options;
    const committed = await log.committedOffset(groupId, topic, partition);
    if (committed !== undefined) return committed;
    if (fromBeginning) return 0;
    const end = await log.endOffset(topic, partition);
    await log.commit(groupId, [{ topic, partition, offset: end }]);
    return end;
  }

  /**
   * A handed-over topic may still hold messages in the log (written before it was handed over, or
   * by an operator's replay): the group reads those first, and attaches to the handoff only once
   * its fetchers passed the log's end as it was at the start, so no key's old message comes after
   * a new one. The fetchers keep reading the log afterwards, for whatever lands there later.
   */
  private takeHandedOverAfterBacklog(
    handoff: MessageHandoff,
    topic: string,
    fetchers: readonly PartitionFetcher[],
    ends: readonly number[],
    receiver: HandoffConsumer,
  ): void {
    const tracked: HandoffConsumer = {
      deliver: (records) => {
        const delivery = receiver.deliver(records);
        this.handoffDeliveries.add(delivery);
        const forget = () => this.handoffDeliveries.delete(delivery);
        delivery.then(forget, forget);
        return delivery;
      },
    };
    const attachWhenCaughtUp = () => {
      if (this.stop.stopped) return;
      if (!fetchers.every((fetcher, partition) => fetcher.readPast(ends[partition] ?? 0))) {
        void this.stop.pause(BACKLOG_CHECK_MS).then((stillRunning) => stillRunning && attachWhenCaughtUp());
        return;
      }
      try {
        this.unlisten.push(handoff.attach(topic, this.options.groupId, tracked));
      } catch (error) {
        this.host.onConsumerError(error);
      }
    };
    attachWhenCaughtUp();
  }

  private async shutDown(): Promise<void> {
    this.stop.stop();
    this.fetchers.forEach((fetcher) => fetcher.wake.notify());
    this.unlisten.forEach((unlisten) => unlisten());
    await Promise.all(this.running);
    await Promise.allSettled([...this.handoffDeliveries]);
    this.options.onAssignment?.([]);
    this.onClosed();
  }
}

import type { EventStore, RecordedEvent } from '@stockade/event-store';
import type { MessageBus, OutgoingMessage } from '../message-bus';

/**
 * A message an event becomes on its way out of a store: the one shape every outbox mapping
 * (ordering, inventory, channel outcomes) returns and the relay publishes.
 */
export interface RelayedMessage {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

export interface EventLogRelayOptions {
  /** Checkpoint name in the event store; one per relay. */
  readonly name: string;
  readonly store: EventStore;
  readonly bus: MessageBus;
  /** Only events of streams starting with one of these (default: every stream). */
  readonly streamPrefixes?: readonly string[];
  /** The messages an event becomes, in order; [] for events that stay private. */
  readonly map: (event: RecordedEvent) => ReadonlyArray<RelayedMessage>;
  /** Events read per page (default 500). */
  readonly batchSize?: number;
  /** How often it looks for events written by other processes (default 200 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Topics whose messages are states, not changes (e.g. stock levels): within one page only the
   * last message per key is published, since it supersedes the earlier ones. Default: none.
   */
  readonly latestPerKeyTopics?: readonly string[];
  /** A failed page (store or bus down); it is retried at the next poll. Default: ignored. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The outbox: the event store's global log is the source of truth, and this relay publishes
 * it to the bus page by page, saving its checkpoint after each published page. A crash
 * between publish and checkpoint republishes that page (at-least-once; consumers dedupe by
 * message id), but nothing is ever lost and no service writes to store and bus "at once".
 */
export class EventLogRelay {
  private checkpoint: number | undefined;
  private active = false;
  private stopListening: () => void = () => undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  /** Every page goes through this chain, so the background loop and drain() never publish concurrently. */
  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(private readonly options: EventLogRelayOptions) {}

  /** Whether it publishes as events are appended (between start and stop). */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    // Resuming after a stop: another relay may have published and moved the checkpoint meanwhile.
    this.checkpoint = undefined;
    this.stopListening = this.options.store.onAppended(() => this.wake());
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 200);
    this.pollTimer.unref();
    this.wake();
  }

  /** Stops after the page being published (its checkpoint is saved). */
  async stop(): Promise<void> {
    this.active = false;
    this.stopListening();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.tail;
  }

  /** Publishes everything up to the store's current head, whether started or not. Rejects if a page fails. */
  async drain(): Promise<void> {
    const head = await this.options.store.headPosition();
    await this.enqueue(() => this.publishUntilCaughtUp(() => true, head));
  }

  private wake(): void {
    if (!this.active || this.queued) return;
    const run = this.enqueue(async () => {
      this.queued = undefined;
      await this.publishUntilCaughtUp(() => this.active);
    });
    this.queued = run;
    run.catch((error: unknown) => (this.options.onError ?? (() => undefined))(error));
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async publishUntilCaughtUp(shouldContinue: () => boolean, head = Number.POSITIVE_INFINITY): Promise<void> {
    while (shouldContinue()) {
      const after = await this.readCheckpoint();
      if (after >= head) return;
      const page = await this.options.store.readAll({
        after,
        limit: this.options.batchSize ?? 500,
        streamPrefixes: this.options.streamPrefixes,
      });
      const last = page[page.length - 1];
      if (!last) return;
      await this.publishInOrder(page.flatMap((event) => this.options.map(event)));
      await this.options.store.saveCheckpoint(this.options.name, last.position);
      this.checkpoint = last.position;
    }
  }

  /**
   * One publish call per topic per page. Order is kept within each topic (so per key), which is
   * all the bus promises; nothing orders messages across topics, Kafka included.
   */
  private async publishInOrder(messages: readonly RelayedMessage[]): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, message } of messages) {
      const batch = byTopic.get(topic) ?? [];
      batch.push(message);
      byTopic.set(topic, batch);
    }
    const latestOnly = new Set(this.options.latestPerKeyTopics ?? []);
    for (const [topic, batch] of byTopic) {
      await this.options.bus.publish(topic, latestOnly.has(topic) ? lastPerKey(batch) : batch);
    }
  }

  private async readCheckpoint(): Promise<number> {
    this.checkpoint ??= (await this.options.store.readCheckpoint(this.options.name)) ?? 0;
    return this.checkpoint;
  }
}

/** The last message of each key, in the order those last messages appeared. */
function lastPerKey(messages: readonly OutgoingMessage[]): OutgoingMessage[] {
  const lastIndex = new Map(messages.map((message, index) => [message.key, index]));
  return messages.filter((message, index) => lastIndex.get(message.key) === index);
}

import type { EventStore, RecordedEvent } from '@stockade/event-store';
import type { HandOver, MessageBus, OutgoingMessage } from '../message-bus';
import { LatestPerKeyHold } from './latest-per-key-hold';

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
  /**
   * How long the messages of `latestPerKeyTopics` are held back and coalesced across pages, so a
   * key publishes at most one state per interval (0: only within a page, as each page goes). The
   * checkpoint waits for them, so nothing is lost. Default 0.
   */
  readonly latestPerKeyHoldMs?: number;
  /** A failed page (store or bus down); it is retried at the next poll. Default: ignored. */
  readonly onError?: (error: unknown) => void;
  /**
   * Events of pages handed over in-process and not yet handled that the relay reads ahead of
   * (ADR 0031); past this many it waits for the oldest page. A slow consumer (a payment gateway
   * taking seconds) holds the checkpoint back, not the relay, up to this bound. Only a bus with
   * `publishHandedOver` has such pages. Default 20,000.
   */
  readonly eventsInFlight?: number;
  /**
   * Least time between two checkpoint saves (default 100 ms). The checkpoint is only where a
   * restarted relay resumes, so saving it after every page (four pages a checkout at low load, each
   * a write transaction) bought nothing: a crash now republishes at most this much more, which
   * consumers already allow for. stop() and drain() save the last position at once.
   */
  readonly checkpointIntervalMs?: number;
}

/** A page accepted by the bus whose messages may still be being handled. */
interface PageInFlight {
  readonly position: number;
  readonly events: number;
  readonly handled: Promise<void>;
  done: boolean;
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
  /**
   * Pages accepted and not yet checkpointed, oldest first. The checkpoint moves past a page only
   * once it and every older page were handled: with a bus that hands messages over in-process,
   * the event log is what keeps them until then, and the relay reads them again after a crash.
   */
  private readonly inFlight: PageInFlight[] = [];
  private eventsAhead = 0;
  /** Counts rewinds, so a page accepted while one happened is not taken for progress. */
  private rewinds = 0;
  /** Where the next page is read from: ahead of the checkpoint while pages are in flight. */
  private readFrom: number | undefined;
  private savingCheckpoint: Promise<void> = Promise.resolve();
  /** A handled position not saved yet, waiting for checkpointIntervalMs since the last save. */
  private unsavedCheckpoint: number | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private lastCheckpointSave = 0;

  private readonly hold: LatestPerKeyHold | undefined;

  constructor(private readonly options: EventLogRelayOptions) {
    const holdMs = options.latestPerKeyHoldMs ?? 0;
    this.hold =
      holdMs > 0 ? new LatestPerKeyHold(holdMs, (topic, messages) => this.publishOne(topic, messages)) : undefined;
  }

  /** Whether it publishes as events are appended (between start and stop). */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    // Resuming after a stop: another relay may have published and moved the checkpoint meanwhile.
    this.checkpoint = undefined;
    this.readFrom = undefined;
    this.inFlight.splice(0);
    this.eventsAhead = 0;
    this.stopListening = this.options.store.onAppended(() => this.wake());
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 200);
    this.pollTimer.unref();
    this.wake();
  }

  /** Stops after the page being published, once the pages in flight were handled (their checkpoint is saved). */
  async stop(): Promise<void> {
    this.active = false;
    this.stopListening();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.tail;
    await this.settleInFlight().catch(() => undefined);
    await this.saveCheckpointNow();
  }

  /** Publishes everything up to the store's current head, whether started or not, and waits until it was handled. Rejects if a page fails. */
  async drain(): Promise<void> {
    const head = await this.options.store.headPosition();
    await this.enqueue(async () => {
      await this.publishUntilCaughtUp(() => true, head);
      await this.settleInFlight();
    });
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
      this.readFrom ??= await this.readCheckpoint();
      const after = this.readFrom;
      if (after >= head) return;
      const page = await this.options.store.readAll({
        after,
        limit: this.options.batchSize ?? 500,
        streamPrefixes: this.options.streamPrefixes,
      });
      const last = page[page.length - 1];
      if (!last) return;
      const rewinds = this.rewinds;
      const { handled } = await this.publishInOrder(page.flatMap((event) => this.options.map(event)));
      // Rewound while this page was being accepted: the next round starts again from the checkpoint.
      if (this.rewinds !== rewinds) continue;
      const pageInFlight: PageInFlight = { position: last.position, events: page.length, handled, done: false };
      this.inFlight.push(pageInFlight);
      this.eventsAhead += page.length;
      this.readFrom = last.position;
      handled.then(
        () => {
          pageInFlight.done = true;
          this.saveHandledCheckpoint();
        },
        (error: unknown) => this.rewind(pageInFlight, error),
      );
      // Bounded: past the limit, the relay waits for the oldest page rather than reading on.
      while (this.eventsAhead > (this.options.eventsInFlight ?? 20_000) && this.inFlight.length > 0)
        await this.inFlight[0]?.handled;
    }
  }

  /** The newest page such that it and all before it were handled becomes the checkpoint, saved at most every checkpointIntervalMs. */
  private saveHandledCheckpoint(): void {
    let handled: PageInFlight | undefined;
    while (this.inFlight[0]?.done) {
      handled = this.inFlight.shift();
      this.eventsAhead -= handled?.events ?? 0;
    }
    if (!handled) return;
    this.unsavedCheckpoint = handled.position;
    if (this.checkpointTimer) return;
    const wait = this.lastCheckpointSave + (this.options.checkpointIntervalMs ?? 100) - Date.now();
    if (wait <= 0) {
      void this.saveCheckpointNow();
      return;
    }
    this.checkpointTimer = setTimeout(() => void this.saveCheckpointNow(), wait);
    this.checkpointTimer.unref();
  }

  /** Saves the handled position not saved yet (one save at a time); resolves once every save so far is done. */
  private saveCheckpointNow(): Promise<void> {
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    const position = this.unsavedCheckpoint;
    this.unsavedCheckpoint = undefined;
    if (position === undefined) return this.savingCheckpoint;
    this.lastCheckpointSave = Date.now();
    this.savingCheckpoint = this.savingCheckpoint
      .then(async () => {
        if ((this.checkpoint ?? 0) >= position) return;
        await this.options.store.saveCheckpoint(this.options.name, position);
        this.checkpoint = Math.max(this.checkpoint ?? 0, position);
      })
      .catch((error: unknown) => (this.options.onError ?? (() => undefined))(error));
    return this.savingCheckpoint;
  }

  /**
   * A page some consumer did not handle (it stopped, or never came): everything from the last
   * checkpoint is read and handed over again, at the next wake. Pages after it may be handled
   * twice meanwhile, which consumers already allow for (at-least-once).
   */
  private rewind(page: PageInFlight, error: unknown): void {
    // A page of before an earlier rewind: that rewind covers it already.
    if (!this.inFlight.includes(page)) return;
    this.rewinds++;
    this.inFlight.splice(0);
    this.eventsAhead = 0;
    this.readFrom = undefined;
    (this.options.onError ?? (() => undefined))(error);
  }

  /** Waits for the pages in flight; rejects if one was not handled. */
  private async settleInFlight(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight[0]?.handled;
    await this.saveCheckpointNow();
  }

  /**
   * One publish call per topic per page. Order is kept within each topic (so per key), which is
   * all the bus promises; nothing orders messages across topics, Kafka included.
   */
  private async publishInOrder(messages: readonly RelayedMessage[]): Promise<HandOver> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, message } of messages) {
      const batch = byTopic.get(topic) ?? [];
      batch.push(message);
      byTopic.set(topic, batch);
    }
    const latestOnly = new Set(this.options.latestPerKeyTopics ?? []);
    const handling: Promise<void>[] = [];
    for (const [topic, batch] of byTopic) {
      if (latestOnly.has(topic) && this.hold) {
        const held = this.hold.add(topic, batch);
        // Observed through the page's promise, unless a later topic of this page fails first.
        held.catch(() => undefined);
        handling.push(held);
        continue;
      }
      const { handled } = await this.publishOne(topic, latestOnly.has(topic) ? lastPerKey(batch) : batch);
      handling.push(handled);
    }
    return { handled: Promise.all(handling).then(() => undefined) };
  }

  private async publishOne(topic: string, messages: readonly OutgoingMessage[]): Promise<HandOver> {
    const { bus } = this.options;
    if (bus.publishHandedOver) return bus.publishHandedOver(topic, messages);
    await bus.publish(topic, messages);
    return { handled: Promise.resolve() };
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

import { InvariantViolation, StockadeError } from '@stockade/kernel';
import type { HandedRecord, HandoffConsumer } from './handed-record';
import type { HandoffPeer, HandoffWireMessage } from './handoff-wire';

export interface MessageHandoffOptions {
  /** The topics handed over in-process instead of stored: every other topic goes to the log as before. */
  readonly topics: readonly string[];
  /**
   * How long a hand-over waits for a topic's consumers to be there (at start, or while one
   * restarts) before it fails, retriably: the relay then tries again from its checkpoint. Default 5 s.
   */
  readonly consumerWaitMs?: number;
}

/** A delivery to the linked thread's group, waiting for its answer. */
interface RemotePending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Where a topic's messages go: one consumer per group, in this thread or on the peer's. */
interface TopicConsumers {
  readonly attached: Map<string, HandoffConsumer>;
  /** Every group that ever consumed the topic: each gets every message, so one restarting is waited for. */
  readonly groups: Set<string>;
  /** Whether a message was handed over yet: from then on, a group never seen before would have missed some. */
  handedOver: boolean;
  readonly waiters: Array<() => void>;
}

/**
 * Hands the messages of some topics straight from the relay that publishes them to the consumer
 * groups that take them, in this thread or on a linked one, instead of writing them to the
 * message log for the consumers to read back (ADR 0031). Durability stays where it was: the
 * relay's source is the event log, and its checkpoint moves only past messages every group has
 * handled (`hand` resolves then), so after a crash it hands the rest over again.
 *
 * The groups of a handed-over topic are the ones that run with it: all of them get every
 * message, a hand-over waits while one of them restarts, and a group that first appears after
 * messages were handed over is refused (it would have missed them; it can read the log instead).
 */
export class MessageHandoff {
  private readonly topics = new Map<string, TopicConsumers>();
  private readonly consumerWaitMs: number;
  private peer: HandoffPeer | undefined;
  private readonly remotePending = new Map<number, RemotePending>();
  private nextRemoteId = 0;
  private closed = false;

  constructor(options: MessageHandoffOptions) {
    for (const topic of options.topics)
      this.topics.set(topic, { attached: new Map(), groups: new Set(), handedOver: false, waiters: [] });
    this.consumerWaitMs = options.consumerWaitMs ?? 5_000;
  }

  carries(topic: string): boolean {
    return this.topics.has(topic);
  }

  /** The topics it carries, for readiness and operators. */
  carriedTopics(): string[] {
    return [...this.topics.keys()];
  }

  /** Resolves once every group of the topic handled (or dead-lettered) every record. */
  async hand(topic: string, records: readonly HandedRecord[]): Promise<void> {
    const consumers = this.consumersOf(topic);
    if (records.length === 0) return;
    await this.untilEveryGroupAttached(topic, consumers);
    consumers.handedOver = true;
    await Promise.all([...consumers.attached.values()].map((consumer) => consumer.deliver(records)));
  }

  /**
   * A group takes the topic's messages from now on. Returns the function that detaches it
   * (its subscription closing); hand-overs then wait for it to come back.
   */
  attach(topic: string, groupId: string, consumer: HandoffConsumer): () => void {
    this.attachConsumer(topic, groupId, consumer);
    this.peer?.({ kind: 'consumer-attached', topic, groupId });
    return () => {
      const consumers = this.consumersOf(topic);
      if (consumers.attached.get(groupId) !== consumer) return;
      consumers.attached.delete(groupId);
      this.peer?.({ kind: 'consumer-detached', topic, groupId });
    };
  }

  /**
   * Links the handoff on another thread: `send` carries this side's wire messages there, and
   * whatever carries its messages here calls {@link receive}. Groups attached already are announced.
   */
  link(send: HandoffPeer): void {
    this.peer = send;
    for (const [topic, consumers] of this.topics)
      for (const [groupId, consumer] of consumers.attached)
        if (!(consumer instanceof RemoteConsumer)) send({ kind: 'consumer-attached', topic, groupId });
  }

  /**
   * The other thread is gone (stopped or crashed): what waits for its answers fails (the relays
   * hand it over again), and its groups no longer count as attached.
   */
  unlink(): void {
    this.peer = undefined;
    this.failRemoteDeliveries('the other thread stopped');
    for (const consumers of this.topics.values())
      for (const [groupId, consumer] of consumers.attached)
        if (consumer instanceof RemoteConsumer) consumers.attached.delete(groupId);
  }

  /** A message from the linked handoff. */
  receive(message: HandoffWireMessage): void {
    switch (message.kind) {
      case 'consumer-attached':
        return this.attachConsumer(
          message.topic,
          message.groupId,
          new RemoteConsumer(this, message.topic, message.groupId),
        );
      case 'consumer-detached': {
        const consumers = this.consumersOf(message.topic);
        if (consumers.attached.get(message.groupId) instanceof RemoteConsumer)
          consumers.attached.delete(message.groupId);
        return;
      }
      case 'deliver':
        return this.deliverForPeer(message);
      case 'delivered':
        return this.settleRemote(message.id, (pending) => pending.resolve());
      case 'not-delivered':
        return this.settleRemote(message.id, (pending) => pending.reject(notHandled(message.reason)));
      default: {
        const unknown: never = message;
        throw new InvariantViolation(`unknown handoff message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Fails what waits for the other thread and for consumers: the relays publish it again after a restart. */
  close(): void {
    this.closed = true;
    this.failRemoteDeliveries('the handoff closed');
    for (const consumers of this.topics.values()) consumers.waiters.splice(0).forEach((wake) => wake());
  }

  /** @internal RemoteConsumer's way to the peer. */
  sendToPeer(topic: string, groupId: string, records: readonly HandedRecord[]): Promise<void> {
    const peer = this.peer;
    if (!peer || this.closed) return Promise.reject(notHandled('the other thread is not linked'));
    const id = this.nextRemoteId++;
    const answered = new Promise<void>((resolve, reject) => this.remotePending.set(id, { resolve, reject }));
    peer({ kind: 'deliver', id, topic, groupId, records });
    return answered;
  }

  /** Throws when the group would have missed messages: it never consumed the topic, and some were handed over already. */
  assertMayJoin(topic: string, groupId: string): void {
    const consumers = this.consumersOf(topic);
    if (consumers.handedOver && !consumers.groups.has(groupId))
      throw new InvariantViolation(
        `group ${groupId} cannot join ${topic}: its messages are handed over in-process, and some went to other groups already; read the message log instead`,
      );
  }

  private settleRemote(id: number, settle: (pending: RemotePending) => void): void {
    const pending = this.remotePending.get(id);
    this.remotePending.delete(id);
    if (pending) settle(pending);
  }

  private failRemoteDeliveries(reason: string): void {
    for (const pending of this.remotePending.values()) pending.reject(notHandled(reason));
    this.remotePending.clear();
  }

  private attachConsumer(topic: string, groupId: string, consumer: HandoffConsumer): void {
    this.assertMayJoin(topic, groupId);
    const consumers = this.consumersOf(topic);
    consumers.groups.add(groupId);
    consumers.attached.set(groupId, consumer);
    consumers.waiters.splice(0).forEach((wake) => wake());
  }

  private deliverForPeer(message: Extract<HandoffWireMessage, { kind: 'deliver' }>): void {
    const consumer = this.topics.get(message.topic)?.attached.get(message.groupId);
    const answer = this.peer;
    if (!answer) return;
    if (!consumer || consumer instanceof RemoteConsumer) {
      answer({
        kind: 'not-delivered',
        id: message.id,
        reason: `no ${message.groupId} consumer of ${message.topic} here`,
      });
      return;
    }
    consumer.deliver(message.records).then(
      () => answer({ kind: 'delivered', id: message.id }),
      (error: unknown) =>
        answer({
          kind: 'not-delivered',
          id: message.id,
          reason: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  private async untilEveryGroupAttached(topic: string, consumers: TopicConsumers): Promise<void> {
    const deadline = Date.now() + this.consumerWaitMs;
    while (!this.closed && (consumers.attached.size === 0 || consumers.attached.size < consumers.groups.size)) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        consumers.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.closed) throw notHandled('the handoff closed');
    if (consumers.attached.size === 0 || consumers.attached.size < consumers.groups.size) {
      const missing = [...consumers.groups].filter((group) => !consumers.attached.has(group));
      throw notHandled(
        missing.length > 0
          ? `waiting for ${missing.join(', ')} to consume ${topic} again`
          : `nothing consumes ${topic} yet`,
      );
    }
  }

  private consumersOf(topic: string): TopicConsumers {
    const consumers = this.topics.get(topic);
    if (!consumers) throw new InvariantViolation(`${topic} is not handed over in-process`);
    return consumers;
  }
}

/** A group on the linked thread: its deliveries cross, and the answer comes back by id. */
class RemoteConsumer implements HandoffConsumer {
  constructor(
    private readonly handoff: MessageHandoff,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  deliver(records: readonly HandedRecord[]): Promise<void> {
    return this.handoff.sendToPeer(this.topic, this.groupId, records);
  }
}

function notHandled(reason: string): StockadeError {
  return new StockadeError('UNAVAILABLE', `handed-over messages not handled: ${reason}`, { retriable: true });
}

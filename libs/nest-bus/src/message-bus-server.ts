import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { CustomTransportStrategy, MessageHandler as NestHandler, Server } from '@nestjs/microservices';
import { IncomingMessage, isLastAttempt, MessageBus, Subscription, TopicPartitions } from '@stockade/messaging';
import { isObservable, lastValueFrom } from 'rxjs';
import { BusContext } from './bus-context';
import { BusConsumerOptions, isBusConsumerOptions } from './bus-consumer-options';

export type BusServerStatus = 'stopped' | 'subscribing' | 'listening' | 'closing';

/** A handler failed on a message; the bus retries it, or (`deadLettered`) moves it to `<topic>.dlq`. */
export interface HandlerFailure {
  readonly groupId: string;
  readonly message: IncomingMessage;
  readonly error: unknown;
  readonly deadLettered: boolean;
}

export interface MessageBusServerOptions {
  /** Told of every handler failure, before the bus retries or dead-letters: where logs say which message failed and why. */
  readonly onHandlerFailure?: (failure: HandlerFailure) => void;
  /**
   * With tracing on: each delivery is a CONSUMER span, child of the W3C context in the message's
   * `traceparent` header, and the handler runs inside it and sees that span as its message's
   * `traceparent` (what it stores with the events it appends, for the relay to carry on).
   */
  readonly tracer?: Tracer;
  /**
   * Told which partitions each consumer group holds whenever that changes (SubscribeOptions
   * .onAssignment): what a single writer per partition follows (inventory shards, ADR 0020).
   */
  readonly onAssignment?: (groupId: string, assignment: readonly TopicPartitions[]) => void;
}

interface Consumer {
  readonly topic: string;
  readonly handler: NestHandler;
  readonly options: BusConsumerOptions;
}

/**
 * A @nestjs/microservices transport over the MessageBus port, so the same `@EventPattern`
 * handlers run on Kafka, on the embedded SQLite log and in memory. The decorators only route:
 * every guarantee is the bus's (per-key order with concurrency across keys, the offset committed
 * after the handler resolved, bounded retries with backoff, then `<topic>.dlq` with provenance
 * headers), because each consumer group becomes one `bus.subscribe` whose handler awaits the
 * Nest handler of the message's topic.
 *
 * Each handler reads in the consumer group its `@EventPattern` extras name (BusConsumerOptions).
 * The handlers of one group share one subscription to all their topics: Kafka's group members
 * must subscribe to the same topics (a kafkajs leader assigns only the topics it subscribed to,
 * so two members of one group on different topics would silently drop partitions). Handlers of
 * one topic in different groups each see every message, as two consumer groups do; unlike Nest's
 * own transports, they are not chained.
 */
export class MessageBusServer
  extends Server<Record<string, never>, BusServerStatus>
  implements CustomTransportStrategy
{
  private readonly consumers: Consumer[] = [];
  private subscriptions: Subscription[] = [];
  private state: BusServerStatus = 'stopped';

  constructor(
    private readonly bus: MessageBus,
    private readonly options: MessageBusServerOptions = {},
  ) {
    super();
    this._status$.next('stopped');
  }

  override addHandler(
    pattern: unknown,
    callback: NestHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const topic = this.normalizePattern(pattern as string);
    if (!isEventHandler)
      throw new Error(
        `${topic}: the message bus carries events only; use @EventPattern, not @MessagePattern (there is no reply channel)`,
      );
    if (!isBusConsumerOptions(extras))
      throw new Error(
        `${topic}: @EventPattern needs a consumer group, e.g. @EventPattern('${topic}', consumerGroup('my-service'))`,
      );
    assertFitsItsGroup(this.consumers, { topic, handler: callback, options: extras });
    this.consumers.push({ topic, handler: callback, options: extras });
  }

  /** Subscribes each consumer group once; Nest calls this from `startAllMicroservices()` / `listen()`. */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    this.setState('subscribing');
    try {
      for (const group of groupsOf(this.consumers)) {
        const handlers = new Map(group.map((consumer) => [consumer.topic, consumer.handler]));
        const [first] = group as [Consumer, ...Consumer[]];
        const settings = first.options;
        this.subscriptions.push(
          await this.bus.subscribe({
            ...settings,
            topics: [...handlers.keys()],
            handler: (message) => this.deliver(handlers.get(message.topic) as NestHandler, message, settings),
            ...(this.options.onAssignment
              ? {
                  onAssignment: (assignment: readonly TopicPartitions[]) =>
                    this.options.onAssignment?.(settings.groupId, assignment),
                }
              : {}),
          }),
        );
      }
      this.setState('listening');
      callback();
    } catch (error) {
      await this.close();
      callback(error);
    }
  }

  /** Stops fetching, waits for in-flight handlers and commits what they finished (Subscription.close). */
  async close(): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState('closing');
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    this.setState('stopped');
  }

  /** True while every handler's subscription is open: the readiness check's "consumers running". */
  isListening(): boolean {
    return this.state === 'listening';
  }

  /** The consumer groups this server reads in, for health details and logs. */
  consumerGroups(): readonly string[] {
    return this.consumers.map((consumer) => consumer.options.groupId);
  }

  /** Each consumer group and the topics it reads: what consumer-lag metrics ask the bus about. */
  consumerTopics(): ReadonlyMap<string, readonly string[]> {
    const topics = new Map<string, string[]>();
    for (const consumer of this.consumers)
      topics.set(consumer.options.groupId, [...(topics.get(consumer.options.groupId) ?? []), consumer.topic]);
    return topics;
  }

  on(): never {
    throw new Error('MessageBusServer has no events to listen to; watch `status` instead');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  /**
   * Resolves when the handler's work is done and rejects with its own error, which the bus
   * retries or dead-letters. One `then` rather than an async function: on the hot path every
   * pending promise is kept alive while the handler waits, and that is what the GC pays for.
   */
  private deliver(handler: NestHandler, message: IncomingMessage, settings: BusConsumerOptions): Promise<void> {
    if (this.options.tracer) return this.deliverTraced(this.options.tracer, handler, message, settings);
    return this.deliverObserved(handler, message, settings);
  }

  private deliverTraced(
    tracer: Tracer,
    handler: NestHandler,
    message: IncomingMessage,
    settings: BusConsumerOptions,
  ): Promise<void> {
    const parent = propagation.extract(ROOT_CONTEXT, message.headers);
    const span = tracer.startSpan(
      `${message.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.consumer.group.name': settings.groupId,
          'messaging.destination.partition.id': String(message.partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.kafka.message.key': message.key,
          'stockade.delivery.attempt': message.attempt,
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    const headers: Record<string, string> = { ...message.headers };
    propagation.inject(active, headers);
    return context
      .with(active, () => this.deliverObserved(handler, { ...message, headers }, settings))
      .then(
        () => span.end(),
        (error: unknown) => {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: error instanceof Error ? error.message : String(error),
          });
          span.end();
          throw error;
        },
      );
  }

  private deliverObserved(handler: NestHandler, message: IncomingMessage, settings: BusConsumerOptions): Promise<void> {
    const done = Promise.resolve(handler(message.value, new BusContext(message))).then(untilObservableCompletes);
    const observe = this.options.onHandlerFailure;
    if (!observe) return done;
    return done.catch((error: unknown) => {
      observe({
        groupId: settings.groupId,
        message,
        error,
        deadLettered: isLastAttempt(error, message.attempt, settings.maxAttempts),
      });
      throw error;
    });
  }

  private setState(state: BusServerStatus): void {
    this.state = state;
    this._status$.next(state);
  }
}

/** The consumers of each group, in registration order. */
function groupsOf(consumers: readonly Consumer[]): Consumer[][] {
  const groups = new Map<string, Consumer[]>();
  for (const consumer of consumers)
    groups.set(consumer.options.groupId, [...(groups.get(consumer.options.groupId) ?? []), consumer]);
  return [...groups.values()];
}

/**
 * A group is one subscription, so its handlers must agree on the delivery settings, and a topic
 * has one handler per group (two would each need their own offsets: use two groups).
 */
function assertFitsItsGroup(registered: readonly Consumer[], candidate: Consumer): void {
  const { groupId, ...settings } = candidate.options;
  for (const existing of registered.filter((consumer) => consumer.options.groupId === groupId)) {
    if (existing.topic === candidate.topic)
      throw new Error(
        `${candidate.topic}: group ${groupId} has a handler for this topic already; give the second handler a group of its own`,
      );
    const { groupId: _sameGroup, ...existingSettings } = existing.options;
    if (JSON.stringify(sortedEntries(existingSettings)) !== JSON.stringify(sortedEntries(settings))) {
      throw new Error(
        `${candidate.topic}: group ${groupId} is one subscription, so its handlers need the same settings (${existing.topic} has ${JSON.stringify(existingSettings)})`,
      );
    }
  }
}

function sortedEntries(settings: object): [string, unknown][] {
  return Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
}

/** A handler may answer with an Observable (Nest allows it); the message is done when it completes. */
function untilObservableCompletes(result: unknown): Promise<void> | undefined {
  return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }).then(() => undefined) : undefined;
}

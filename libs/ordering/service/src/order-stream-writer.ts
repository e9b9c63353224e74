import { DuplicateEventId, EventStore, ExpectedVersionConflict, NewEvent } from '@stockade/event-store';
import { Clock, deterministicId } from '@stockade/kernel';
import {
  OrderEvent,
  OrderInput,
  orderDecider,
  OrderState,
  orderStreamName,
  SagaSignals,
  sagaSignalsOf,
  storedTypeOf,
} from '@stockade/ordering-domain';
import { LoadedOrder, OrderStateCache } from './order-state-cache';
import { PerKeyQueue } from './per-key-queue';

export type { LoadedOrder } from './order-state-cache';

/** Told what each stored step means (a saga ended, a compensation began): metrics, never the saga's business. */
export interface SagaTelemetry {
  record(signals: SagaSignals): void;
}

/** The message or request that caused a write: event ids derive from its id, so a redelivery is recognised. */
export interface CausingMessage {
  readonly messageId: string;
}

/**
 * Load → decide → append for one order stream. Writes to an order go through a per-order
 * queue; the expected version is the safety net against other processes, and a conflict
 * means "someone wrote first": reload and decide again, a bounded number of times.
 */
export class OrderStreamWriter {
  private readonly queue = new PerKeyQueue();
  private readonly cache: OrderStateCache;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly telemetry?: SagaTelemetry,
    private readonly maxAttempts = 5,
  ) {
    this.cache = new OrderStateCache(store);
  }

  load(orderId: string): Promise<LoadedOrder> {
    return this.cache.fresh(orderId);
  }

  /** Returns the events written, [] when the input changed nothing (a repeat or late news). */
  write(orderId: string, input: OrderInput, cause: CausingMessage): Promise<readonly OrderEvent[]> {
    return this.writeAll(orderId, [input], cause);
  }

  /**
   * Several inputs decided one after the other, each against the state the previous left, and
   * their events written in ONE append: all or none. An input the order no longer takes records
   * nothing and the next is decided as usual (an inline payment decision for an order cancelled
   * meanwhile records the void, ADR 0033).
   */
  writeAll(orderId: string, inputs: readonly OrderInput[], cause: CausingMessage): Promise<readonly OrderEvent[]> {
    return this.queue.run(orderId, () => this.decideAndAppend(orderId, inputs, cause, 1));
  }

  private async decideAndAppend(
    orderId: string,
    inputs: readonly OrderInput[],
    cause: CausingMessage,
    attempt: number,
  ): Promise<readonly OrderEvent[]> {
    // A checkout is almost always a new order: append as if the stream did not exist, and let
    // 'no_stream' catch the repeat (the retry then reads the stream), instead of reading first.
    const assumeNew = inputs.length === 1 && inputs[0]?.type === 'PlaceOrder' && attempt === 1;
    const { state, version } = assumeNew ? this.cache.cachedOrNew(orderId) : await this.cache.forWrite(orderId);
    const events = decideInTurn(inputs, state);
    if (events.length === 0) {
      // "Nothing to do" (late news) may come from a cached state another instance has moved on since: its consumer of
      // another topic wrote this order. No append means no expected-version check, so confirm the version first.
      if (
        !assumeNew &&
        attempt < this.maxAttempts &&
        (await this.store.streamVersion(orderStreamName(orderId))) !== version
      ) {
        this.cache.evict(orderId);
        return this.decideAndAppend(orderId, inputs, cause, attempt + 1);
      }
      return [];
    }
    try {
      const { nextExpectedVersion } = await this.store.appendToStream(
        orderStreamName(orderId),
        events.map((event, index) => this.stamp(orderId, event, index, cause)),
        { expectedVersion: version === -1 ? 'no_stream' : version },
      );
      this.cache.remember(orderId, { state: events.reduce(orderDecider.evolve, state), version: nextExpectedVersion });
      this.telemetry?.record(sagaSignalsOf(state, events, this.clock.now()));
      return events;
    } catch (error) {
      this.cache.evict(orderId);
      // Same cause, same ids: another writer already stored exactly this decision.
      if (error instanceof DuplicateEventId) return [];
      if (error instanceof ExpectedVersionConflict && attempt < this.maxAttempts) {
        return this.decideAndAppend(orderId, inputs, cause, attempt + 1);
      }
      throw error;
    }
  }

  private stamp(orderId: string, event: OrderEvent, index: number, cause: CausingMessage): NewEvent {
    return {
      id: deterministicId('order-event', orderId, cause.messageId, String(index), event.type),
      type: storedTypeOf(event.type),
      data: event.data,
      metadata: { correlationId: orderId, causationId: cause.messageId, occurredAt: this.clock.now().toISOString() },
    };
  }
}

function decideInTurn(inputs: readonly OrderInput[], initial: OrderState): readonly OrderEvent[] {
  if (inputs.length === 1) return orderDecider.decide(inputs[0] as OrderInput, initial);
  const events: OrderEvent[] = [];
  let state = initial;
  for (const input of inputs) {
    const decided = orderDecider.decide(input, state);
    events.push(...decided);
    state = decided.reduce(orderDecider.evolve, state);
  }
  return events;
}

import type { SubscribeOptions } from '@stockade/messaging';

/**
 * The second argument of `@EventPattern(topic, options)` on a handler served by MessageBusServer:
 * the consumer group the handler reads in, and the bus's delivery settings for it. Every handler
 * is a subscription of its own, so two handlers of one topic in different groups each see every
 * message (as two Kafka consumer groups would).
 */
export type BusConsumerOptions = Omit<SubscribeOptions, 'topics' | 'handler'>;

/** Typed extras for `@EventPattern`: `@EventPattern(TOPICS.orderEvents, consumerGroup('cart-service', { concurrency: 200 }))`. */
export function consumerGroup(groupId: string, settings: Omit<BusConsumerOptions, 'groupId'> = {}): BusConsumerOptions {
  return { groupId, ...settings };
}

export function isBusConsumerOptions(extras: unknown): extras is BusConsumerOptions {
  return typeof extras === 'object' && extras !== null && typeof (extras as { groupId?: unknown }).groupId === 'string';
}

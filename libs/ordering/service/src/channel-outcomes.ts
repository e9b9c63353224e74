import { channelOfId, channelOutcomeTopic, TOPICS } from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import { deterministicId } from '@stockade/kernel';
import type { RelayedMessage } from '@stockade/messaging';
import { orderingOutbox } from './ordering-outbox';

/** What the relay calls with each stored event. */
export type OrderingOutbox = (recorded: RecordedEvent) => RelayedMessage[];

/**
 * The outbox mapping of a deployment with sales channels (ADR 0023): every outcome on order.events
 * of an order in a channel's namespace (`web:chk-1`) is also sent on the channel's own topic
 * (`order.events.web`), which broker ACLs let only that channel read. order.events itself stays
 * Stockade's internal topic (carts, metrics), closed to the channels. Without channels it is the
 * plain mapping.
 */
export function orderingOutboxFor(channels: Iterable<string>): OrderingOutbox {
  const configured = new Set(channels);
  if (configured.size === 0) return orderingOutbox;
  // v1's stored outcomes come through orderingOutbox too, so they are copied alike.
  return (recorded) => withChannelOutcomes(orderingOutbox(recorded), configured);
}

/**
 * Each outcome of a channel's order followed by its copy for the channel: same key (the order id)
 * and value, and a message id derived from the outcome's, so a relay that re-publishes a page sends
 * the same copy again and a consumer's deduplication by messageId holds. An order in no configured
 * channel's namespace, and every other message, is sent as it is.
 */
export function withChannelOutcomes(
  messages: readonly RelayedMessage[],
  channels: ReadonlySet<string>,
): RelayedMessage[] {
  return messages.flatMap((outbound) => {
    if (outbound.topic !== TOPICS.orderEvents) return [outbound];
    const channel = channelOfId(outbound.message.key, channels);
    if (channel === undefined) return [outbound];
    const topic = channelOutcomeTopic(channel);
    const value = outbound.message.value as { readonly messageId: string };
    return [
      outbound,
      {
        topic,
        message: { ...outbound.message, value: { ...value, messageId: deterministicId(value.messageId, topic) } },
      },
    ];
  });
}

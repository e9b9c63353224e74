import { OrderCompletedV1, OrderRejectedV1, TOPICS } from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import type { RelayedMessage } from '@stockade/messaging';
import { orderingOutboxFor } from './channel-outcomes';
import { orderingOutbox } from './ordering-outbox';
import { checkout, inventory, orderingTestbed } from './testing/ordering-testbed';

const CHANNELS = ['web', 'pos'];

/** A stored event of an order, as the relay reads it from the store. */
function stored(orderId: string, type: string, data: Record<string, unknown>): RecordedEvent {
  return {
    id: `evt-${orderId}-${type}`,
    stream: `order-${orderId}`,
    type,
    data: { orderId, ...data },
    metadata: { correlationId: orderId, causationId: 'cause-1', occurredAt: '2026-03-01T10:00:00.000Z' },
    version: 3,
    position: 42,
    recordedAt: '2026-03-01T10:00:00.000Z',
  };
}

const completed = (orderId: string) =>
  stored(orderId, 'OrderCompleted.v2', {
    customerId: 'web:alice',
    lines: [{ sku: 'LAMP', quantity: 2, unitPrice: 10 }],
    total: 20,
  });
const messageIdOf = ({ message }: RelayedMessage) => (message.value as { messageId: string }).messageId;
const withoutId = ({ message }: RelayedMessage) => ({ ...(message.value as object), messageId: undefined });

describe('orderingOutboxFor (outcomes on the channel topics)', () => {
  it('given the outcome of web:chk-1 and the channels web and pos, then it goes to order.events and to order.events.web with the same key and value, under an id derived from the first', () => {
    const [internal, forWeb, ...more] = orderingOutboxFor(CHANNELS)(completed('web:chk-1'));

    expect(more).toEqual([]);
    expect(internal).toEqual(orderingOutbox(completed('web:chk-1'))[0]);
    expect([internal?.topic, forWeb?.topic]).toEqual([TOPICS.orderEvents, 'order.events.web']);
    expect(forWeb?.message.key).toBe('web:chk-1');
    expect(withoutId(forWeb as RelayedMessage)).toEqual(withoutId(internal as RelayedMessage));
    expect(OrderCompletedV1.safeParse(forWeb?.message.value).success).toBe(true);
    expect(messageIdOf(forWeb as RelayedMessage)).not.toBe(messageIdOf(internal as RelayedMessage));
  });

  it('given the same stored outcome mapped twice (a relay re-publishing its page), then the channel copy has the same message id both times', () => {
    const map = orderingOutboxFor(CHANNELS);

    expect(map(completed('pos:chk-9')).map(messageIdOf)).toEqual(map(completed('pos:chk-9')).map(messageIdOf));
    expect(map(completed('pos:chk-9')).map(({ topic }) => topic)).toEqual([TOPICS.orderEvents, 'order.events.pos']);
  });

  it('given the outcome of chk-2 (no channel) or of kiosk:chk-3 (not a configured channel), then it goes to order.events only, as without channels', () => {
    const map = orderingOutboxFor(CHANNELS);

    expect(map(completed('chk-2'))).toEqual(orderingOutbox(completed('chk-2')));
    expect(map(completed('kiosk:chk-3')).map(({ topic }) => topic)).toEqual([TOPICS.orderEvents]);
  });

  it("given a web order's event that is not an outcome (its reservation request), then only the command is sent", () => {
    const placed = stored('web:chk-4', 'OrderPlaced.v2', {
      customerId: 'web:alice',
      lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }],
      total: 10,
    });

    expect(orderingOutboxFor(CHANNELS)(placed)).toEqual(orderingOutbox(placed));
    expect(orderingOutbox(placed).map(({ topic }) => topic)).toEqual([TOPICS.inventoryCommands]);
  });

  it('given an outcome stored by event model v1 for web:chk-5, then it goes to order.events as v1 sent it and to order.events.web', () => {
    const v1 = stored('web:chk-5', 'OrderRejected', {
      customerId: 'web:alice',
      reasons: ['LAMP: only 0 available, 1 requested'],
    });

    const messages = orderingOutboxFor(CHANNELS)(v1);

    expect(messages.map(({ topic }) => topic)).toEqual([TOPICS.orderEvents, 'order.events.web']);
    expect(messages[0]).toEqual(orderingOutbox(v1)[0]);
    expect(OrderRejectedV1.safeParse(messages[1]?.message.value).success).toBe(true);
    expect(messageIdOf(messages[1] as RelayedMessage)).not.toBe(v1.id);
  });

  it('given no channels, then the mapping is the plain one', () => {
    expect(orderingOutboxFor([])).toBe(orderingOutbox);
  });
});

describe('createOrderingService with channels (the relay map it hands out)', () => {
  it("given channels web and pos, when a web order and a shared one are rejected, then only the web order's outcome is also on order.events.web and nothing reaches order.events.pos", async () => {
    const bed = orderingTestbed({ channels: CHANNELS });
    const web = (await bed.service.placeOrder(checkout({ checkoutId: 'web:chk-6', customerId: 'web:alice' }))).orderId;
    const shared = (await bed.service.placeOrder(checkout({ checkoutId: 'chk-7' }))).orderId;
    await bed.service.handleInventoryEvent(inventory.rejected(web));
    await bed.service.handleInventoryEvent(inventory.rejected(shared));

    const outcomes = (await bed.published())
      .filter(({ topic }) => topic.startsWith(TOPICS.orderEvents))
      .map(({ topic, message }) => `${topic} ${message.key}`);

    expect(outcomes).toEqual([
      `${TOPICS.orderEvents} web:chk-6`,
      'order.events.web web:chk-6',
      `${TOPICS.orderEvents} chk-7`,
    ]);
  });
});

import type { CheckoutRequest } from '@stockade/contracts';
import { DistributedStack, POSTGRES_URL } from '../../../tools/client/distributed-stack';
import { TopicRecorder } from '../../../tools/client/topic-recorder';

jest.setTimeout(120_000);

const TERMINAL = new Set(['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1']);

/**
 * Order-service scales by adding instances: they share the order store, and its outbox must be
 * relayed once, by the instance holding partition 0 of the saga's group, not by every instance.
 */
describe('two order-service instances on real Kafka and PostgreSQL', () => {
  const stack = new DistributedStack(POSTGRES_URL, {
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  });
  let outcomes: TopicRecorder;
  let reservations: TopicRecorder;

  beforeAll(async () => {
    await stack.start();
    await stack.addOrderInstance();
    outcomes = new TopicRecorder(stack.kafka, stack.topic('order.events'));
    reservations = new TopicRecorder(stack.kafka, stack.topic('inventory.commands'));
    await Promise.all([outcomes.start(), reservations.start()]);
    await stack.client().receiveStock('TWO-ORDERS-LAMP', 1_000);
  });

  afterAll(async () => {
    await outcomes?.stop();
    await reservations?.stop();
    await stack.stop();
  });

  it('given 300 checkouts over Kafka, then each gets one outcome, published once, and each command the saga sends is published once', async () => {
    const checkouts: CheckoutRequest[] = Array.from({ length: 300 }, (_, n) => ({
      checkoutId: `two-${n}`,
      customerId: `c-${n}`,
      lines: [{ sku: 'TWO-ORDERS-LAMP', quantity: 1, unitPrice: 3 }],
    }));
    await stack.publish(
      'checkout.requested',
      checkouts.map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })),
    );

    const terminal = () =>
      outcomes.messages.filter((message) => TERMINAL.has((JSON.parse(message.value) as { type: string }).type));
    await outcomes.waitFor(
      () => new Set(terminal().map((message) => message.key)).size === checkouts.length,
      'an outcome for every checkout',
      90_000,
    );
    // Give a second relay, if there were one, the time to publish its copies.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(terminal().length).toBe(checkouts.length);
    const commandIds = reservations.messages.map(
      (message) => (JSON.parse(message.value) as { messageId: string }).messageId,
    );
    expect(commandIds.length).toBe(checkouts.length * 2);
    expect(new Set(commandIds).size).toBe(commandIds.length);
  });
});

import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@stockade/contracts';
import { InMemoryEventStore } from '@stockade/event-store';
import { InventoryModule, INVENTORY_EVENT_STORE } from '@stockade/inventory-nest';
import type { createOrderingService } from '@stockade/ordering-service';
import { serviceTestBed, ServiceTestBed } from '@stockade/runtime/testing';
import { ORDERING, ORDERING_EVENT_STORE } from '@stockade/ordering-nest';
import { OrderingModule } from '@stockade/ordering-nest';

// Some tests start a service of their own; on a busy machine that alone can take seconds.
jest.setTimeout(30_000);

const checkoutFor = (checkoutId: string, customerId: string) => ({
  checkoutId,
  customerId,
  lines: [{ sku: `CH-UNKNOWN-${randomUUID()}`, quantity: 1, unitPrice: 5 }],
});
const envelope = (data: { checkoutId: string }) => ({
  messageId: randomUUID(),
  type: 'CheckoutRequested.v1',
  correlationId: data.checkoutId,
  causationId: data.checkoutId,
  occurredAt: new Date().toISOString(),
  data,
});
const outcomeValue = (orderId: string) => ({
  messageId: randomUUID(),
  type: 'OrderCancelled.v1',
  correlationId: orderId,
  causationId: orderId,
  occurredAt: new Date().toISOString(),
  data: { orderId, customerId: 'web:x', reasons: ['test'] },
});

interface Running {
  readonly testBed: ServiceTestBed;
  readonly app: NestFastifyApplication;
  readonly ordering: ReturnType<typeof createOrderingService>;
}

/**
 * The order service on an in-memory bus, with inventory (an unknown SKU makes every placed order
 * end REJECTED on order.events at once) or without it (orders stay in flight).
 */
async function orderService(options: {
  channels?: readonly string[];
  inventory?: boolean;
  env?: Record<string, string>;
}): Promise<Running> {
  const ordering = OrderingModule.register({
    outcomesGroupId: 'test-outcomes',
    ...(options.channels ? { channels: options.channels } : {}),
  });
  const testBed = serviceTestBed(
    options.inventory === false ? [ordering] : [ordering, InventoryModule.register()],
    options.env ? { env: options.env } : {},
  );
  testBed.builder.overrideProvider(ORDERING_EVENT_STORE).useValue(new InMemoryEventStore());
  if (options.inventory !== false)
    testBed.builder.overrideProvider(INVENTORY_EVENT_STORE).useValue(new InMemoryEventStore());
  const app = await testBed.start();
  return { testBed, app, ordering: app.get(ORDERING) };
}

describe("sales channels' own checkout topics (the order service module)", () => {
  let running: Running;
  beforeAll(async () => void (running = await orderService({ channels: ['web', 'pos'] })));
  afterAll(() => running.testBed.close());

  it("given the web channel's topic, when a checkout for a web: customer arrives, then the order web:<checkoutId> is placed for that customer", async () => {
    const checkoutId = `own-${randomUUID()}`;

    await running.testBed.bus.publish('checkout.requested.web', [
      { key: checkoutId, value: envelope(checkoutFor(checkoutId, 'web:alice')) },
    ]);

    const outcome = await running.testBed.nextMessage(
      TOPICS.orderEvents,
      (message) => message.key === `web:${checkoutId}`,
    );
    expect(JSON.parse(outcome.value)).toMatchObject({
      type: 'OrderRejected.v1',
      data: { orderId: `web:${checkoutId}`, customerId: 'web:alice' },
    });
  });

  it('given channels on the log-backed bus (embedded, no broker ACLs), when a web order ends, then its outcome is on order.events only: no order.events.web that no channel could read and the log would keep', async () => {
    const checkoutId = `log-${randomUUID()}`;

    await running.testBed.bus.publish('checkout.requested.web', [
      { key: checkoutId, value: envelope(checkoutFor(checkoutId, 'web:alice')) },
    ]);

    await running.testBed.nextMessage(TOPICS.orderEvents, (message) => message.key === `web:${checkoutId}`);
    await expect(
      running.testBed.nextMessage('order.events.web', (message) => message.key === `web:${checkoutId}`, 500),
    ).rejects.toThrow(/no matching message/);
  });

  it("given the web channel's topic, when a checkout for a pos: customer arrives, then it is dead-lettered at once with the reason naming the channel and the customer, and no order is placed", async () => {
    const checkoutId = `forged-${randomUUID()}`;

    await running.testBed.bus.publish('checkout.requested.web', [
      { key: checkoutId, value: checkoutFor(checkoutId, 'pos:bob') },
    ]);

    const deadLetter = await running.testBed.nextMessage(
      'checkout.requested.web.dlq',
      (message) => message.key === checkoutId,
    );
    expect(deadLetter.headers).toMatchObject({
      'x-dlq-attempts': '1',
      'x-dlq-error-code': 'VALIDATION_FAILED',
      'x-dlq-original-topic': 'checkout.requested.web',
    });
    expect(deadLetter.headers['x-dlq-error']).toBe(
      'customerId: customer pos:bob is not a customer of channel web: checkout.requested.web takes only web: customers',
    );
    await expect(running.ordering.service.getOrder(`web:${checkoutId}`)).resolves.toBeUndefined();
    await expect(running.ordering.service.getOrder(checkoutId)).resolves.toBeUndefined();
  });

  it('given channels, when a trusted producer (the cart service) publishes on checkout.requested, then the checkout is placed as it is, order id and customer unchanged', async () => {
    const checkoutId = `cart-${randomUUID()}`;

    await running.testBed.bus.publish(TOPICS.checkoutRequested, [
      { key: checkoutId, value: checkoutFor(checkoutId, 'pos:carol') },
    ]);

    const outcome = await running.testBed.nextMessage(TOPICS.orderEvents, (message) => message.key === checkoutId);
    expect(JSON.parse(outcome.value)).toMatchObject({ data: { orderId: checkoutId, customerId: 'pos:carol' } });
  });
});

describe('a deployment without channels', () => {
  it('given no channels, when an upstream publishes on checkout.requested, then the order is placed under its checkout id for its customer, as before channels', async () => {
    const running = await orderService({});
    try {
      const checkoutId = `plain-${randomUUID()}`;

      await running.testBed.bus.publish(TOPICS.checkoutRequested, [
        { key: checkoutId, value: envelope(checkoutFor(checkoutId, 'web:dave')) },
      ]);

      const outcome = await running.testBed.nextMessage(TOPICS.orderEvents, (message) => message.key === checkoutId);
      expect(JSON.parse(outcome.value)).toMatchObject({ data: { orderId: checkoutId, customerId: 'web:dave' } });
    } finally {
      await running.testBed.close();
    }
  });
});

describe('admission control on the checkout topics (the order service module)', () => {
  it("given the in-flight limit reached, when a checkout arrives on a channel's topic, then it is held, not dead-lettered, until an outcome frees room, then placed", async () => {
    // No inventory: placed orders stay in flight until an outcome arrives on order.events.
    const running = await orderService({
      channels: ['web'],
      inventory: false,
      env: { STOCKADE_MAX_ORDERS_IN_FLIGHT: '1' },
    });
    try {
      const [first, second] = [`first-${randomUUID()}`, `second-${randomUUID()}`];
      await running.testBed.bus.publish('checkout.requested.web', [
        { key: first, value: checkoutFor(first, 'web:amy') },
      ]);
      await waitFor(
        async () => (await running.ordering.service.getOrder(`web:${first}`)) !== undefined,
        'the first order',
      );

      await running.testBed.bus.publish('checkout.requested.web', [
        { key: second, value: checkoutFor(second, 'web:ben') },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));

      await expect(running.ordering.service.getOrder(`web:${second}`)).resolves.toBeUndefined();
      await expect(running.testBed.nextMessage('checkout.requested.web.dlq', () => true, 200)).rejects.toThrow(
        /no matching message/,
      );
      await running.testBed.bus.publish(TOPICS.orderEvents, [
        { key: `web:${first}`, value: outcomeValue(`web:${first}`) },
      ]);
      await waitFor(
        async () => (await running.ordering.service.getOrder(`web:${second}`)) !== undefined,
        'the second order, once the first had its outcome',
      );
    } finally {
      await running.testBed.close();
    }
  });
});

describe('stopping while checkouts wait for admission', () => {
  it('given a checkout held by back-pressure, when the service stops, then it stops promptly and the checkout is neither placed nor dead-lettered (it is taken again after the restart)', async () => {
    const running = await orderService({ inventory: false, env: { STOCKADE_MAX_ORDERS_IN_FLIGHT: '1' } });
    const [first, held] = [`first-${randomUUID()}`, `held-${randomUUID()}`];
    const deadLetters: string[] = [];
    await running.testBed.bus.subscribe({
      groupId: 'test-dlq-watch',
      topics: ['checkout.requested.dlq'],
      handler: async (message) => void deadLetters.push(message.key),
    });
    await running.testBed.bus.publish(TOPICS.checkoutRequested, [{ key: first, value: checkoutFor(first, 'amy') }]);
    await waitFor(async () => (await running.ordering.service.getOrder(first)) !== undefined, 'the first order');
    await running.testBed.bus.publish(TOPICS.checkoutRequested, [{ key: held, value: checkoutFor(held, 'ben') }]);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const startedAt = Date.now();
    await running.testBed.close();

    // Without letting held checkouts go, the close waits for their handlers forever.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    await expect(running.ordering.service.getOrder(held)).resolves.toBeUndefined();
    expect(deadLetters).toEqual([]);
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@stockade/contracts';
import { InMemoryEventStore } from '@stockade/event-store';
import { InventoryModule, INVENTORY_EVENT_STORE } from '@stockade/inventory-nest';
import type { PaymentGateway } from '@stockade/ordering-service';
import { serviceTestBed, ServiceTestBed, TEST_OPERATOR_TOKEN } from '@stockade/runtime/testing';
import { ORDERING_EVENT_STORE, PAYMENT_GATEWAY } from '@stockade/ordering-nest';
import { OrderingModule } from '@stockade/ordering-nest';

/** A gateway that declines every card and remembers whom it was asked about. */
function decliningGateway(): PaymentGateway & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    tokenize: async () => 'ref-stolen',
    authorize: async ({ orderId }) => (asked.push(orderId), { outcome: 'declined', reason: 'card stolen' }),
    void: async () => undefined,
  };
}

async function waitForStatus(
  app: NestFastifyApplication,
  orderId: string,
  wanted: string,
): Promise<Record<string, unknown>> {
  for (let tries = 0; tries < 200; tries++) {
    const order = (await app.inject({ method: 'GET', url: `/orders/${orderId}` })).json<Record<string, unknown>>();
    if (order['status'] === wanted) return order;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`order ${orderId} never became ${wanted}`);
}

describe('the order service as a Nest module (Test.createTestingModule)', () => {
  let testBed: ServiceTestBed;
  let app: NestFastifyApplication;
  const gateway = decliningGateway();

  beforeAll(async () => {
    testBed = serviceTestBed([
      OrderingModule.register({ outcomesGroupId: 'test-outcomes' }),
      InventoryModule.register(),
    ]);
    testBed.builder
      .overrideProvider(PAYMENT_GATEWAY)
      .useValue(gateway)
      .overrideProvider(ORDERING_EVENT_STORE)
      .useValue(new InMemoryEventStore())
      .overrideProvider(INVENTORY_EVENT_STORE)
      .useValue(new InMemoryEventStore());
    app = await testBed.start();
  });

  afterAll(() => testBed.close());

  it('given the payment gateway overridden to decline, when a checkout is posted, then the saga releases the stock and cancels the order with the reason', async () => {
    await app.inject({
      method: 'POST',
      url: '/inventory/NEST-LAMP/receipts',
      headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` },
      payload: { quantity: 2 },
    });
    const orderId = `nest-${randomUUID()}`;

    const accepted = await app.inject({
      method: 'POST',
      url: '/checkouts',
      payload: { checkoutId: orderId, customerId: 'ann', lines: [{ sku: 'NEST-LAMP', quantity: 2, unitPrice: 10 }] },
    });

    expect(accepted.statusCode).toBe(202);
    const order = await waitForStatus(app, orderId, 'CANCELLED');
    expect(JSON.stringify(order['reasons'])).toContain('card stolen');
    expect(gateway.asked).toContain(orderId);
    expect((await app.inject({ method: 'GET', url: '/inventory/NEST-LAMP' })).json()).toMatchObject({
      onHand: 2,
      reserved: 0,
      available: 2,
    });
  });

  it('given a checkout published on checkout.requested by an upstream, when the @EventPattern handler takes it, then an order outcome is published on order.events', async () => {
    const orderId = `upstream-${randomUUID()}`;
    const now = new Date().toISOString();
    await testBed.bus.publish(TOPICS.checkoutRequested, [
      {
        key: orderId,
        value: {
          messageId: randomUUID(),
          type: 'CheckoutRequested.v1',
          correlationId: orderId,
          causationId: orderId,
          occurredAt: now,
          data: { checkoutId: orderId, customerId: 'bo', lines: [{ sku: 'NEST-UNKNOWN', quantity: 1, unitPrice: 5 }] },
        },
      },
    ]);

    const outcome = await testBed.nextMessage(TOPICS.orderEvents, (message) => message.key === orderId);

    expect(JSON.parse(outcome.value)).toMatchObject({ type: 'OrderRejected.v1', correlationId: orderId });
  });

  it('given a malformed checkout message, when it arrives, then it is dead-lettered after one attempt with the field named', async () => {
    const checkoutId = `bad-${randomUUID()}`;
    await testBed.bus.publish(TOPICS.checkoutRequested, [
      { key: checkoutId, value: { type: 'CheckoutRequested.v1', data: { checkoutId } } },
    ]);

    const deadLetter = await testBed.nextMessage(
      `${TOPICS.checkoutRequested}.dlq`,
      (message) => message.key === checkoutId,
    );

    expect(deadLetter.headers).toMatchObject({ 'x-dlq-attempts': '1', 'x-dlq-error-code': 'VALIDATION_FAILED' });
    expect(deadLetter.headers['x-dlq-error']).toMatch(/messageId/);
  });
});

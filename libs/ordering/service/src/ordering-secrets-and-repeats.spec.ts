import { randomUUID } from 'node:crypto';
import { TOPICS } from '@stockade/contracts';
import { CheckoutIdReused, orderStreamName } from '@stockade/ordering-domain';
import { checkout, envelopeValue, inventory, orderingTestbed } from './testing/ordering-testbed';

/** ADR 0021: a checkout id is an idempotency key, and a shopper's payment token is never stored or sent on. */
describe('repeated checkout ids', () => {
  it('given a placed checkout, when a checkout with its id but other lines is placed, then it is refused (CONFLICT naming checkoutId) and nothing is written', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    await bed.service.placeOrder(request);
    const head = await bed.store.headPosition();

    const differing = { ...request, lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 19.99 }] };
    await expect(bed.service.placeOrder(differing)).rejects.toBeInstanceOf(CheckoutIdReused);
    await expect(bed.service.placeOrder({ ...request, customerId: 'cust-8' })).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [{ field: 'checkoutId' }],
    });
    expect(await bed.store.headPosition()).toBe(head);
    await expect(bed.service.getOrder(request.checkoutId)).resolves.toMatchObject({
      customerId: 'cust-7',
      lines: request.lines,
    });
  });

  it('given a placed checkout, when a differing repeat arrives on checkout.requested, then the error is not retriable (the bus dead-letters it with the reason)', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    await bed.service.placeOrder(request);
    const differing = envelopeValue(
      'CheckoutRequested.v1',
      { ...request, customerId: 'someone-else' },
      request.checkoutId,
    );
    await expect(bed.service.handleCheckoutRequested(differing)).rejects.toMatchObject({
      code: 'CONFLICT',
      retriable: false,
      message: expect.stringContaining('already placed with another customer or other lines'),
    });
  });

  it('given a placed checkout, when the identical checkout arrives again with another payment token, then it is the same order (202) and nothing is written', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    await bed.service.placeOrder(request);
    const head = await bed.store.headPosition();
    await expect(bed.service.placeOrder({ ...request, paymentToken: 'tok-other-card' })).resolves.toEqual({
      orderId: request.checkoutId,
      created: false,
    });
    expect(await bed.store.headPosition()).toBe(head);
  });
});

describe('payment tokens', () => {
  const SECRET = 'tok_4242424242424242_secret';

  it('given a checkout with a payment token, when it runs to completion, then no stored event and no published message holds the token, and payments get the reference', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout({ paymentToken: SECRET }));
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    await bed.service.handleInventoryEvent(inventory.committed(orderId));

    const stored = JSON.stringify(await bed.store.readAll());
    const published = await bed.published();
    expect(stored).not.toContain(SECRET);
    expect(JSON.stringify(published)).not.toContain(SECRET);
    const authorize = published.find(({ topic }) => topic === TOPICS.paymentCommands)?.message.value as {
      data: Record<string, unknown>;
    };
    expect(authorize.data['paymentRef']).toMatch(/^sim:approve:/);
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'COMPLETED' });
  });

  it('given a decline token, when payment runs, then the decision written into its reference declines the order', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout({ paymentToken: 'decline:expired-card' }));
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    expect(await bed.eventTypes(orderId)).toContain('PaymentDeclined.v2');
  });

  it('given an order stored before ADR 0021 with the token itself, when payment runs, then the worker exchanges it in memory, pays by it, and writes it nowhere again', async () => {
    const bed = orderingTestbed();
    const orderId = `chk-${randomUUID()}`;
    const lines = [{ sku: 'LAMP', quantity: 2, unitPrice: 19.99 }];
    const metadata = { correlationId: orderId, causationId: 'legacy', occurredAt: '2026-03-01T10:00:00.000Z' };
    await bed.store.appendToStream(
      orderStreamName(orderId),
      [
        {
          id: randomUUID(),
          type: 'OrderPlaced.v2',
          data: {
            orderId,
            customerId: 'cust-7',
            lines,
            paymentToken: 'decline:legacy-card',
            total: 39.98,
            placedAt: metadata.occurredAt,
          },
          metadata,
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    const before = await bed.store.headPosition();
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'PENDING' });
    expect(await bed.eventTypes(orderId)).toContain('PaymentDeclined.v2');
    const written = (await bed.store.readAll()).filter((event) => event.position > before);
    // (the simulator's decline reason comes from its test token: the token itself is what must not appear)
    expect(JSON.stringify(written)).not.toContain('decline:legacy-card');
    expect(
      JSON.stringify(
        (await bed.published()).filter(
          ({ message }) => (message.value as { causationId: string }).causationId !== 'legacy',
        ),
      ),
    ).not.toContain('decline:legacy-card');
  });

  it('given an AuthorizePayment message written before ADR 0021 (a token, no reference), when the worker runs it, then it exchanges the token and pays by it', async () => {
    const bed = orderingTestbed();
    const { paymentToken: _none, ...withoutToken } = checkout();
    const { orderId } = await bed.service.placeOrder(withoutToken);
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.service.handlePaymentCommand(
      envelopeValue('AuthorizePayment.v1', { orderId, amount: 189.98, paymentToken: 'decline:old-message' }, orderId),
    );
    expect(await bed.eventTypes(orderId)).toContain('PaymentDeclined.v2');
  });
});

import { randomUUID } from 'node:crypto';
import { OrderOutcome, TOPICS } from '@stockade/contracts';
import { checkout, envelopeValue, inventory, orderingTestbed } from './testing/ordering-testbed';

describe('placing orders', () => {
  it('given a new checkout, when it is placed, then the order is PENDING and stock is requested', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    await expect(bed.service.placeOrder(request)).resolves.toEqual({ orderId: request.checkoutId, created: true });
    await expect(bed.service.getOrder(request.checkoutId)).resolves.toEqual({
      orderId: request.checkoutId,
      customerId: 'cust-7',
      status: 'PENDING',
      lines: request.lines,
      reasons: [],
      total: 189.98,
    });
    expect(await bed.publishedTypes()).toEqual([`${TOPICS.inventoryCommands} ReserveStock.v1`]);
  });

  it('given an order stored before the money rule (a line of 0, one of three decimals), when its saga finishes, then it reads, completes and publishes an OrderCompleted.v1 the carts can parse', async () => {
    const bed = orderingTestbed();
    const orderId = `legacy-${randomUUID()}`;
    const lines = [
      { sku: 'LAMP', quantity: 2, unitPrice: 0 },
      { sku: 'DESK', quantity: 1, unitPrice: 0.125 },
    ];
    const placedAt = '2026-03-01T09:00:00.000Z';
    await bed.store.appendToStream(
      `order-${orderId}`,
      [
        {
          id: randomUUID(),
          type: 'OrderPlaced.v2',
          data: { orderId, customerId: 'cust-7', lines, paymentToken: 'tok-visa', total: 0.13, placedAt },
          metadata: { correlationId: orderId, causationId: 'legacy', occurredAt: placedAt },
        },
      ],
      { expectedVersion: 'no_stream' },
    );

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'PENDING', lines, total: 0.13 });
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    await bed.service.handleInventoryEvent(inventory.committed(orderId));

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'COMPLETED', lines, total: 0.13 });
    const completed = (await bed.published()).find(({ topic }) => topic === TOPICS.orderEvents);
    expect(OrderOutcome.safeParse(completed?.message.value).error).toBeUndefined();
  });

  it('given a placed checkout, when the same checkout arrives again by any route, then it is the same order and nothing is written', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    await bed.service.placeOrder(request);
    const head = await bed.store.headPosition();

    await expect(bed.service.placeOrder(request)).resolves.toEqual({ orderId: request.checkoutId, created: false });
    await expect(bed.service.handleCheckoutRequested(JSON.stringify(request))).resolves.toEqual({
      orderId: request.checkoutId,
      created: false,
    });
    await expect(
      bed.service.handleCheckoutRequested(envelopeValue('CheckoutRequested.v1', request, request.checkoutId)),
    ).resolves.toEqual({ orderId: request.checkoutId, created: false });

    expect(await bed.store.headPosition()).toBe(head);
  });

  it('given the same new checkout twice at once, when both are placed, then exactly one creates the order', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    const results = await Promise.all([bed.service.placeOrder(request), bed.service.placeOrder(request)]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(await bed.eventTypes(request.checkoutId)).toEqual(['OrderPlaced.v2']);
  });

  it('given a CheckoutRequested.v1 envelope, when it is handled, then the order is placed and caused by that message', async () => {
    const bed = orderingTestbed();
    const request = checkout();
    const value = envelopeValue('CheckoutRequested.v1', request, request.checkoutId);
    await expect(bed.service.handleCheckoutRequested(value)).resolves.toEqual({
      orderId: request.checkoutId,
      created: true,
    });
    const [placed] = await bed.store.readStream(`order-${request.checkoutId}`);
    expect(placed?.metadata).toMatchObject({
      correlationId: request.checkoutId,
      causationId: JSON.parse(value).messageId,
    });
    expect(placed?.data).toMatchObject({ placedAt: '2026-03-01T10:00:00.000Z' });
  });

  it("given an envelope dated 2001, when it is handled, then the order is placed at the service clock's now, not at the time the sender claims", async () => {
    const bed = orderingTestbed();
    bed.clock.advance(42_000);
    const request = checkout();
    const value = JSON.stringify({
      messageId: randomUUID(),
      type: 'CheckoutRequested.v1',
      correlationId: request.checkoutId,
      causationId: randomUUID(),
      occurredAt: '2001-01-01T00:00:00.000Z',
      data: request,
    });

    await bed.service.handleCheckoutRequested(value);

    const [placed] = await bed.store.readStream(`order-${request.checkoutId}`);
    expect(placed?.data).toMatchObject({ placedAt: '2026-03-01T10:00:42.000Z' });
  });

  it('given a bare POST /checkouts body on the topic, when it is handled, then the order is placed', async () => {
    const bed = orderingTestbed();
    const request = checkout({ paymentToken: undefined });
    delete (request as { paymentToken?: string }).paymentToken;
    await expect(bed.service.handleCheckoutRequested(JSON.stringify(request))).resolves.toEqual({
      orderId: request.checkoutId,
      created: true,
    });
  });

  it('given an order nobody placed, when it is read, then there is none', async () => {
    await expect(orderingTestbed().service.getOrder(`chk-${randomUUID()}`)).resolves.toBeUndefined();
  });
});

describe("checkouts on a channel's own topic (checkout.requested.<channel>)", () => {
  it("given a checkout for one of the channel's customers, when it is handled for that channel, then the order id is the channel's namespaced id, as over HTTP", async () => {
    const bed = orderingTestbed();
    const request = checkout({ customerId: 'web:alice' });

    await expect(bed.service.handleCheckoutRequested(JSON.stringify(request), 'web')).resolves.toEqual({
      orderId: `web:${request.checkoutId}`,
      created: true,
    });

    await expect(bed.service.getOrder(`web:${request.checkoutId}`)).resolves.toMatchObject({
      customerId: 'web:alice',
      status: 'PENDING',
    });
    await expect(bed.service.getOrder(request.checkoutId)).resolves.toBeUndefined();
  });

  it("given a checkout for another channel's customer or a customer of no channel, when it is handled for the web channel, then it is refused as bad input naming the channel and the customer, and nothing is written", async () => {
    const bed = orderingTestbed();
    const head = await bed.store.headPosition();

    for (const customerId of ['pos:bob', 'bob']) {
      const refused = bed.service.handleCheckoutRequested(
        envelopeValue('CheckoutRequested.v1', checkout({ customerId }), 'x'),
        'web',
      );
      await expect(refused).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        retriable: false,
        issues: [{ field: 'customerId' }],
      });
      await expect(refused).rejects.toThrow(
        new RegExp(
          `customer ${customerId} is not a customer of channel web: checkout.requested.web takes only web: customers`,
        ),
      );
    }
    expect(await bed.store.headPosition()).toBe(head);
  });

  it('given the same checkout on the trusted topic, when it is handled without a channel, then it is placed as it is, whatever its customer', async () => {
    const bed = orderingTestbed();
    const request = checkout({ customerId: 'pos:bob' });

    await expect(bed.service.handleCheckoutRequested(JSON.stringify(request))).resolves.toEqual({
      orderId: request.checkoutId,
      created: true,
    });
  });
});

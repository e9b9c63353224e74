import { InMemoryEventStore } from '@stockade/event-store';
import { isOutage, ManualClock } from '@stockade/kernel';
import { createOrderingService } from '@stockade/ordering-service';
import { CheckoutAdmission, placeOrderWithAdmission, TooManyOrdersInFlight } from './checkout-admission';
import { StockadeMetrics } from '@stockade/runtime';

const checkout = (id: string) => ({
  checkoutId: id,
  customerId: 'c',
  lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }],
});
const outcome = (orderId: string) =>
  JSON.stringify({
    messageId: `m-${orderId}`,
    type: 'OrderRejected.v1',
    correlationId: orderId,
    causationId: 'x',
    occurredAt: '2026-01-01T00:00:00.000Z',
    data: { orderId, customerId: 'c', reasons: ['LAMP: unknown SKU'] },
  });

describe('checkout admission (back-pressure)', () => {
  function setup(limit: number, maxWaitMs = 0) {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock: new ManualClock() });
    const metrics = new StockadeMetrics(false);
    return { metrics, placeOrder: placeOrderWithAdmission(service, metrics, limit, maxWaitMs) };
  }

  it('given 2 orders in flight and a limit of 2, when a new checkout arrives, then it is refused as retriable, and a repeat of an accepted one is still answered', async () => {
    const { placeOrder } = setup(2);
    await placeOrder(checkout('a'));
    await placeOrder(checkout('b'));

    await expect(placeOrder(checkout('c'))).rejects.toBeInstanceOf(TooManyOrdersInFlight);
    await expect(placeOrder(checkout('c'))).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    await expect(placeOrder(checkout('a'))).resolves.toEqual({ orderId: 'a' });
  });

  it('given a full pipeline, when a checkout repeats an accepted id with other lines, then it is refused as a reused id (409), not answered with the first order', async () => {
    const { placeOrder } = setup(1);
    await placeOrder(checkout('a'));
    await expect(
      placeOrder({ ...checkout('a'), lines: [{ sku: 'LAMP', quantity: 9, unitPrice: 10 }] }),
    ).rejects.toMatchObject({ code: 'CONFLICT', issues: [{ field: 'checkoutId' }] });
  });

  it('given a full pipeline, when an order reaches its outcome, then the next checkout is admitted', async () => {
    const { placeOrder, metrics } = setup(1);
    await placeOrder(checkout('a'));
    await expect(placeOrder(checkout('b'))).rejects.toBeInstanceOf(TooManyOrdersInFlight);

    await metrics.recordOrderOutcome(outcome('a'));

    await expect(placeOrder(checkout('b'))).resolves.toEqual({ orderId: 'b' });
    expect(metrics.ordersInFlight()).toBe(1);
  });

  it('given an outcome this process never saw, when the entry is older than the stale limit, then it no longer counts', async () => {
    const { placeOrder, metrics } = setup(1);
    await placeOrder(checkout('a'));
    expect(metrics.ordersInFlight(60_000)).toBe(1);
    expect(metrics.ordersInFlight(-1)).toBe(0);
  });

  it('given a full pipeline and a wait allowance, when an outcome frees room while the checkout waits, then it is admitted instead of refused', async () => {
    const { placeOrder, metrics } = setup(1, 5_000);
    await placeOrder(checkout('a'));

    const waiting = placeOrder(checkout('b'));
    setTimeout(() => void metrics.recordOrderOutcome(outcome('a')), 30);

    await expect(waiting).resolves.toEqual({ orderId: 'b' });
  });
});

describe('checkout admission on the checkout topics (back-pressure for consumers)', () => {
  function setup(limit: number) {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock: new ManualClock() });
    const metrics = new StockadeMetrics(false);
    return { service, metrics, admission: new CheckoutAdmission(service, metrics, limit) };
  }
  const message = (id: string) => JSON.stringify(checkout(id));
  /** Whether a promise has settled after the event loop had time to move it (a timer turn, several admission rechecks). */
  const settledWithin = async (promise: Promise<unknown>, ms: number) => {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, ms));
    return settled;
  };

  it('given the limit reached by an HTTP checkout, when a checkout message arrives, then it is held (neither placed nor refused) until an outcome frees room, then placed', async () => {
    const { service, metrics, admission } = setup(1);
    await admission.placeOrder(checkout('http-a'));

    const held = admission.placeCheckoutMessage(message('kafka-b'));

    expect(await settledWithin(held, 200)).toBe(false);
    expect(await service.getOrder('kafka-b')).toBeUndefined();
    await metrics.recordOrderOutcome(outcome('http-a'));
    await expect(held).resolves.toEqual({ orderId: 'kafka-b', created: true });
    expect(metrics.ordersInFlight()).toBe(1);
  });

  it('given checkout messages, when they are placed, then they count against the same limit as HTTP: the next HTTP checkout is refused', async () => {
    const { admission } = setup(1);
    await admission.placeCheckoutMessage(message('kafka-a'));

    await expect(admission.placeOrder(checkout('http-b'), 0)).rejects.toBeInstanceOf(TooManyOrdersInFlight);
  });

  it('given three messages held at a limit of 1, when one outcome frees one place, then exactly one of them is placed, the first to arrive', async () => {
    const { metrics, admission } = setup(1);
    await admission.placeCheckoutMessage(message('a'));
    const held = ['b', 'c', 'd'].map((id) => admission.placeCheckoutMessage(message(id)));
    const placed: string[] = [];
    held.forEach(
      (promise) =>
        void promise.then(
          ({ orderId }) => placed.push(orderId),
          () => undefined,
        ),
    );

    await metrics.recordOrderOutcome(outcome('a'));
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(placed).toEqual(['b']);
    expect(metrics.ordersInFlight()).toBe(1);
    admission.close();
    await Promise.allSettled(held);
  });

  it('given the limit reached, when a repeat of a placed checkout or a malformed one arrives by message, then each is answered at once (the same order; a validation error to dead-letter)', async () => {
    const { admission } = setup(1);
    await admission.placeCheckoutMessage(message('a'));

    await expect(admission.placeCheckoutMessage(message('a'))).resolves.toEqual({ orderId: 'a', created: false });
    await expect(admission.placeCheckoutMessage('{"checkoutId": "b"}')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('given a message held for room, when the process stops (admission closes), then it is let go as an outage, which the bus retries and never dead-letters', async () => {
    const { service, admission } = setup(1);
    await admission.placeCheckoutMessage(message('a'));
    const held = admission.placeCheckoutMessage(message('b'));

    admission.close();

    const error = await held.catch((caught: unknown) => caught);
    expect(isOutage(error)).toBe(true);
    expect(await service.getOrder('b')).toBeUndefined();
  });
});

import { InMemoryEventStore } from '@stockade/event-store';
import { isOutage, ManualClock } from '@stockade/kernel';
import { createOrderingService, OrdersInFlight } from '@stockade/ordering-service';
import { CheckoutAdmission, placeOrderWithAdmission, TooManyOrdersInFlight } from './checkout-admission';

const checkout = (id: string) => ({
  checkoutId: id,
  customerId: 'c',
  lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }],
});
describe('checkout admission (back-pressure)', () => {
  function setup(limit: number, maxWaitMs = 0) {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock: new ManualClock() });
    let now = 0;
    const inFlight = new OrdersInFlight({ now: () => now, staleAfterMs: 60_000 });
    const advance = (ms: number) => (now += ms);
    return { inFlight, advance, placeOrder: placeOrderWithAdmission(service, inFlight, limit, maxWaitMs) };
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
    const { placeOrder, inFlight } = setup(1);
    await placeOrder(checkout('a'));
    await expect(placeOrder(checkout('b'))).rejects.toBeInstanceOf(TooManyOrdersInFlight);

    inFlight.ended('a');

    await expect(placeOrder(checkout('b'))).resolves.toEqual({ orderId: 'b' });
    expect(inFlight.count()).toBe(1);
  });

  it('given an outcome this process never saw, when the entry is older than the stale limit, then it no longer counts', async () => {
    const { placeOrder, inFlight, advance } = setup(1);
    await placeOrder(checkout('a'));
    expect(inFlight.count()).toBe(1);
    advance(60_001);
    expect(inFlight.count()).toBe(0);
    await expect(placeOrder(checkout('b'))).resolves.toEqual({ orderId: 'b' });
  });

  it('given a full pipeline and a wait allowance, when an outcome frees room while the checkout waits, then it is admitted instead of refused', async () => {
    const { placeOrder, inFlight } = setup(1, 5_000);
    await placeOrder(checkout('a'));

    const waiting = placeOrder(checkout('b'));
    setTimeout(() => void inFlight.ended('a'), 30);

    await expect(waiting).resolves.toEqual({ orderId: 'b' });
  });
});

describe('checkout admission under a race', () => {
  it('given a limit of 10 and no wait allowance, when 200 checkouts race, then exactly 10 are placed and 190 refused as retriable; when their outcomes arrive, then 10 more are placed', async () => {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock: new ManualClock() });
    const inFlight = new OrdersInFlight();
    const admission = new CheckoutAdmission(service, inFlight, 10);

    const race = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => admission.placeOrder(checkout(`r${i}`), 0)),
    );

    const placed = race.flatMap((result) => (result.status === 'fulfilled' ? [result.value.orderId] : []));
    const refused = race.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(placed).toHaveLength(10);
    expect(refused).toHaveLength(190);
    expect(refused.every((error) => error instanceof TooManyOrdersInFlight && error.retriable)).toBe(true);
    expect(inFlight.count()).toBe(10);

    for (const orderId of placed) inFlight.ended(orderId);
    const next = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => admission.placeOrder(checkout(`n${i}`), 0)),
    );
    expect(next.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
  });

  it('given 50 checkouts waiting at a limit of 1, when outcomes arrive one by one, then each outcome admits exactly the next waiter at once (no polling), in arrival order', async () => {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock: new ManualClock() });
    const inFlight = new OrdersInFlight();
    // A stale recheck far beyond the test: only outcomes can admit here.
    const admission = new CheckoutAdmission(service, inFlight, 1, undefined, 3_600_000);
    await admission.placeOrder(checkout('w-first'));
    const order: string[] = [];
    const waiting = Array.from({ length: 50 }, (_, i) =>
      admission.placeOrder(checkout(`w${i}`), 60_000).then(({ orderId }) => void order.push(orderId)),
    );

    let previous = 'w-first';
    for (let i = 0; i < 50; i++) {
      inFlight.ended(previous);
      await waiting[i];
      previous = `w${i}`;
    }

    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => `w${i}`));
    expect(inFlight.count()).toBe(1);
    admission.close();
  });
});

describe('checkout admission on the checkout topics (back-pressure for consumers)', () => {
  function setup(limit: number) {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock: new ManualClock() });
    const inFlight = new OrdersInFlight();
    return { service, inFlight, admission: new CheckoutAdmission(service, inFlight, limit) };
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
    const { service, inFlight, admission } = setup(1);
    await admission.placeOrder(checkout('http-a'));

    const held = admission.placeCheckoutMessage(message('kafka-b'));

    expect(await settledWithin(held, 200)).toBe(false);
    expect(await service.getOrder('kafka-b')).toBeUndefined();
    inFlight.ended('http-a');
    await expect(held).resolves.toEqual({ orderId: 'kafka-b', created: true });
    expect(inFlight.count()).toBe(1);
  });

  it('given checkout messages, when they are placed, then they count against the same limit as HTTP: the next HTTP checkout is refused', async () => {
    const { admission } = setup(1);
    await admission.placeCheckoutMessage(message('kafka-a'));

    await expect(admission.placeOrder(checkout('http-b'), 0)).rejects.toBeInstanceOf(TooManyOrdersInFlight);
  });

  it('given three messages held at a limit of 1, when one outcome frees one place, then exactly one of them is placed, the first to arrive', async () => {
    const { inFlight, admission } = setup(1);
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

    inFlight.ended('a');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(placed).toEqual(['b']);
    expect(inFlight.count()).toBe(1);
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

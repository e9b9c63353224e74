import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { createOrderingService } from '@stockade/ordering-service';
import { placeOrderWithAdmission, TooManyOrdersInFlight } from './checkout-admission';
import { StockadeMetrics } from '@stockade/runtime';

const checkout = (id: string) => ({ checkoutId: id, customerId: 'c', lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }] });
const outcome = (orderId: string) =>
  JSON.stringify({ messageId: `m-${orderId}`, type: 'OrderRejected.v1', correlationId: orderId, causationId: 'x', occurredAt: '2026-01-01T00:00:00.000Z', data: { orderId, customerId: 'c', reasons: ['LAMP: unknown SKU'] } });

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
    await expect(placeOrder({ ...checkout('a'), lines: [{ sku: 'LAMP', quantity: 9, unitPrice: 10 }] })).rejects.toMatchObject({ code: 'CONFLICT', issues: [{ field: 'checkoutId' }] });
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

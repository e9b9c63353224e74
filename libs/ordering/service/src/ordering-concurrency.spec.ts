import { EventStore, ExpectedVersionConflict } from '@stockade/event-store';
import { createOrderingService } from './create-ordering-service';
import { SimulatedPaymentGateway } from './simulated-payment-gateway';
import { checkout, inventory, orderingTestbed } from './testing/ordering-testbed';

/** Counts the version conflicts the store raised, to show the safety net was actually exercised. */
function countConflicts(store: EventStore): () => number {
  let conflicts = 0;
  const append = store.appendToStream.bind(store);
  jest.spyOn(store, 'appendToStream').mockImplementation(async (...args) => {
    try {
      return await append(...args);
    } catch (error) {
      if (error instanceof ExpectedVersionConflict) conflicts++;
      throw error;
    }
  });
  return () => conflicts;
}

describe('many messages for one order at once', () => {
  it('given a placed order, when redeliveries, a cancel and late news all arrive concurrently, then each fact is recorded at most once and the stream is consistent', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    const reserved = inventory.reserved(orderId);
    const released = inventory.released(orderId);

    await Promise.all([
      ...Array.from({ length: 10 }, () => bed.service.handleInventoryEvent(reserved)),
      bed.service.cancelOrder(orderId),
      bed.service.cancelOrder(orderId),
      ...Array.from({ length: 10 }, () => bed.service.handleInventoryEvent(inventory.expired(orderId))),
      ...Array.from({ length: 5 }, () => bed.service.placeOrder(checkout({ checkoutId: orderId }))),
    ]);
    await Promise.all(Array.from({ length: 10 }, () => bed.service.handleInventoryEvent(released)));

    const types = await bed.eventTypes(orderId);
    const counts = types.reduce<Record<string, number>>((all, type) => ({ ...all, [type]: (all[type] ?? 0) + 1 }), {});
    expect(Math.max(...Object.values(counts))).toBe(1);
    expect(types.at(-1)).toBe('OrderCancelled.v2');
    const stream = await bed.store.readStream(`order-${orderId}`);
    expect(stream.map((event) => event.version)).toEqual(stream.map((_, index) => index));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'CANCELLED' });
  });

  it('given two service instances on one store, when both handle the same messages at once, then version checks keep one outcome', async () => {
    const bed = orderingTestbed();
    // A second process: its own per-order queues, so only the expected version protects the stream.
    const other = createOrderingService({
      store: bed.store,
      clock: bed.clock,
      paymentGateway: new SimulatedPaymentGateway(),
    }).service;
    const request = checkout();
    const orderId = request.checkoutId;
    const conflicts = countConflicts(bed.store);

    const placed = await Promise.all([bed.service.placeOrder(request), other.placeOrder(request)]);
    expect(placed.filter((result) => result.created)).toHaveLength(1);

    const reserved = inventory.reserved(orderId);
    await Promise.all([
      bed.service.handleInventoryEvent(reserved),
      other.handleInventoryEvent(reserved),
      other.cancelOrder(orderId),
    ]);
    await Promise.all([
      bed.service.handleInventoryEvent(inventory.released(orderId)),
      other.handleInventoryEvent(inventory.released(orderId)),
    ]);

    const types = await bed.eventTypes(orderId);
    expect(new Set(types).size).toBe(types.length);
    expect(types.filter((type) => type === 'OrderCancellationRequested.v2')).toHaveLength(1);
    expect(types.at(-1)).toBe('OrderCancelled.v2');
    expect(conflicts()).toBeGreaterThan(0);
  });

  it('given many orders, when their messages interleave, then each completes independently', async () => {
    const bed = orderingTestbed();
    const orderIds = await Promise.all(
      Array.from({ length: 20 }, async () => (await bed.service.placeOrder(checkout())).orderId),
    );
    await Promise.all(orderIds.map((orderId) => bed.service.handleInventoryEvent(inventory.reserved(orderId))));
    await Promise.all(orderIds.map((orderId) => bed.runPaymentWorker(orderId)));
    await Promise.all(orderIds.map((orderId) => bed.service.handleInventoryEvent(inventory.committed(orderId))));

    const statuses = await Promise.all(orderIds.map(async (orderId) => (await bed.service.getOrder(orderId))?.status));
    expect(statuses).toEqual(orderIds.map(() => 'COMPLETED'));
  });
});

import { checkout, inventory, orderingTestbed, OrderingTestbed } from './testing/ordering-testbed';

/** Delivers a value twice, as an at-least-once bus may, and reports what the second delivery wrote. */
async function deliverTwice(bed: OrderingTestbed, value: string): Promise<number> {
  await bed.service.handleInventoryEvent(value);
  const head = await bed.store.headPosition();
  await bed.service.handleInventoryEvent(value);
  return (await bed.store.headPosition()) - head;
}

describe('redelivered inventory events', () => {
  it('given StockReserved handled, when it is redelivered, then no new events are written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    expect(await deliverTwice(bed, inventory.reserved(orderId))).toBe(0);
  });

  it('given StockReservationRejected handled, when it is redelivered, then no new events are written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    expect(await deliverTwice(bed, inventory.rejected(orderId))).toBe(0);
  });

  it('given ReservationExpired handled, when it is redelivered, then no new events are written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    expect(await deliverTwice(bed, inventory.expired(orderId))).toBe(0);
  });

  it('given ReservationCommitted handled, when it is redelivered, then no new events are written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    expect(await deliverTwice(bed, inventory.committed(orderId))).toBe(0);
  });

  it('given ReservationCommitRefused handled, when it is redelivered, then no new events are written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    expect(await deliverTwice(bed, inventory.commitRefused(orderId))).toBe(0);
  });

  it('given ReservationReleased handled, when it is redelivered, then no new events are written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.cancelOrder(orderId);
    expect(await deliverTwice(bed, inventory.released(orderId))).toBe(0);
  });

  it('given a finished order, when every inventory event arrives again, then nothing is written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    await bed.service.handleInventoryEvent(inventory.committed(orderId));
    const head = await bed.store.headPosition();

    for (const late of Object.values(inventory)) await bed.service.handleInventoryEvent(late(orderId));
    expect(await bed.store.headPosition()).toBe(head);
  });

  it('given events for an order nobody placed, when they arrive, then nothing is written', async () => {
    const bed = orderingTestbed();
    for (const stray of Object.values(inventory)) await bed.service.handleInventoryEvent(stray('chk-unknown'));
    expect(await bed.store.headPosition()).toBe(0);
  });

  it('given the payment recorded, when the AuthorizePayment command is redelivered, then the gateway is not asked again and nothing is written', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    const head = await bed.store.headPosition();
    await bed.runPaymentWorker(orderId);
    expect(await bed.store.headPosition()).toBe(head);
    expect(bed.gateway.authorizedOrders).toBe(1);
  });
});

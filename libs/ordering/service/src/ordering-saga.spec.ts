import { NotFoundError } from '@stockade/kernel';
import { TOPICS } from '@stockade/contracts';
import { OrderCannotBeCancelled } from '@stockade/ordering-domain';
import { slowTokens } from './simulated-payment-gateway';
import {
  checkout,
  gatewayHoldingItsAnswer,
  inventory,
  OrderingTestbed,
  orderingTestbed,
} from './testing/ordering-testbed';

const INV = TOPICS.inventoryCommands;
const PAY = TOPICS.paymentCommands;
const OUT = TOPICS.orderEvents;

async function placedAndReserved(bed: OrderingTestbed, paymentToken = 'tok-visa') {
  const { orderId } = await bed.service.placeOrder(checkout({ paymentToken }));
  await bed.service.handleInventoryEvent(inventory.reserved(orderId));
  return orderId;
}

describe('the order saga through the service', () => {
  it('given stock and an approving gateway, when the saga runs, then the order completes with its commands sent in order', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed);
    await bed.runPaymentWorker(orderId);
    await bed.service.handleInventoryEvent(inventory.committed(orderId));

    expect(await bed.publishedTypes()).toEqual([
      `${INV} ReserveStock.v1`,
      `${PAY} AuthorizePayment.v1`,
      `${INV} CommitReservation.v1`,
      `${OUT} OrderCompleted.v1`,
    ]);
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'COMPLETED',
      reasons: [],
      total: 189.98,
    });
    expect((await bed.published()).every(({ message }) => message.key === orderId)).toBe(true);
  });

  it('given short stock, when inventory rejects, then the order is REJECTED with a reason per short line', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.rejected(orderId));

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'REJECTED',
      reasons: ['LAMP: only 1 available, 2 requested', 'DESK: only 0 available, 1 requested'],
    });
    expect(await bed.publishedTypes()).toEqual([`${INV} ReserveStock.v1`, `${OUT} OrderRejected.v1`]);
  });

  it('given a declining card, when payment is declined, then the release is requested and the order is CANCELLED once released', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed, 'decline:insufficient-funds');
    await bed.runPaymentWorker(orderId);

    expect((await bed.publishedTypes()).at(-1)).toBe(`${INV} ReleaseReservation.v1`);
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'PENDING' });

    await bed.service.handleInventoryEvent(inventory.released(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['payment declined: insufficient-funds'],
    });
    expect((await bed.publishedTypes()).at(-1)).toBe(`${OUT} OrderCancelled.v1`);
  });

  it('given a gateway slower than the payment timeout, when payment times out, then the release and a void are requested and the order is CANCELLED once released', async () => {
    const bed = orderingTestbed({ paymentTimeoutMs: 5, tokenRules: [slowTokens] });
    const orderId = await placedAndReserved(bed, 'delay:200');
    await bed.runPaymentWorker(orderId);

    expect(await bed.eventTypes(orderId)).toContain('PaymentTimedOut.v2');
    expect((await bed.publishedTypes()).slice(-2)).toEqual([`${INV} ReleaseReservation.v1`, `${PAY} VoidPayment.v1`]);
    await bed.runPaymentWorker(orderId);
    expect(bed.gateway.hasVoided(orderId)).toBe(true);

    await bed.service.handleInventoryEvent(inventory.released(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['payment timed out'],
    });
  });

  it('given an order awaiting payment, when the customer cancels, then the reservation is released and the order CANCELLED', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed);
    await bed.service.cancelOrder(orderId);
    await bed.service.cancelOrder(orderId); // a double click is accepted and changes nothing

    expect((await bed.publishedTypes()).filter((type) => type.endsWith('ReleaseReservation.v1'))).toHaveLength(1);
    await bed.service.handleInventoryEvent(inventory.released(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['cancelled by customer'],
    });
  });

  it('given a customer cancel before payment, when the payment command is still delivered, then the gateway is not asked', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed);
    await bed.service.cancelOrder(orderId);
    await bed.runPaymentWorker(orderId);
    expect(bed.gateway.authorizedOrders).toBe(0);
  });

  it('given a placed order, when the customer cancels before stock is reserved, then the release follows the reservation', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.cancelOrder(orderId);
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.service.handleInventoryEvent(inventory.released(orderId));

    expect(await bed.publishedTypes()).toEqual([
      `${INV} ReserveStock.v1`,
      `${INV} ReleaseReservation.v1`,
      `${OUT} OrderCancelled.v1`,
    ]);
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'CANCELLED' });
  });

  it('given a completed order, when the customer cancels, then it is refused as a conflict', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed);
    await bed.runPaymentWorker(orderId);
    await expect(bed.service.cancelOrder(orderId)).rejects.toThrow(OrderCannotBeCancelled);
    await bed.service.handleInventoryEvent(inventory.committed(orderId));
    await expect(bed.service.cancelOrder(orderId)).rejects.toMatchObject({ code: 'CONFLICT', retriable: false });
  });

  it('given no such order, when the customer cancels, then it is not found', async () => {
    await expect(orderingTestbed().service.cancelOrder('chk-missing')).rejects.toThrow(NotFoundError);
  });

  it('given an order awaiting payment, when the reservation expires, then the order is CANCELLED and the gateway is not asked', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed);
    await bed.service.handleInventoryEvent(inventory.expired(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['reservation expired'],
    });

    await bed.runPaymentWorker(orderId);
    expect(bed.gateway.authorizedOrders).toBe(0);
    expect(await bed.publishedTypes()).toEqual([
      `${INV} ReserveStock.v1`,
      `${PAY} AuthorizePayment.v1`,
      `${OUT} OrderCancelled.v1`,
    ]);
  });

  it('given a payment in flight, when the reservation expires before the approval lands, then the payment is voided', async () => {
    const held = gatewayHoldingItsAnswer();
    const bed = orderingTestbed({ paymentGateway: held.gateway });
    const orderId = await placedAndReserved(bed);

    const worker = bed.runPaymentWorker(orderId);
    await held.asked;
    await bed.service.handleInventoryEvent(inventory.expired(orderId));
    held.approve();
    await worker;

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['reservation expired'],
    });
    expect((await bed.publishedTypes()).slice(-2)).toEqual([`${OUT} OrderCancelled.v1`, `${PAY} VoidPayment.v1`]);
  });

  it('given payment authorized, when inventory refuses the commit, then the order is CANCELLED and the payment voided', async () => {
    const bed = orderingTestbed();
    const orderId = await placedAndReserved(bed);
    await bed.runPaymentWorker(orderId);
    await bed.service.handleInventoryEvent(inventory.commitRefused(orderId));

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['reservation commit refused: reservation expired'],
    });
    expect((await bed.publishedTypes()).slice(-2)).toEqual([`${PAY} VoidPayment.v1`, `${OUT} OrderCancelled.v1`]);
    await bed.runPaymentWorker(orderId);
    expect(bed.gateway.hasVoided(orderId)).toBe(true);
  });
});

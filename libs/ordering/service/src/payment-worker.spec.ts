import { checkout, inventory, orderingTestbed } from './testing/ordering-testbed';

describe('the payment worker', () => {
  it('given a gateway that fails, when authorizing, then the failure is retriable and the order still awaits payment', async () => {
    const bed = orderingTestbed({
      paymentGateway: {
        tokenize: async () => 'ref',
        authorize: async () => {
          throw new Error('connection reset');
        },
        void: async () => undefined,
      },
    });
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    await expect(bed.runPaymentWorker(orderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(await bed.eventTypes(orderId)).not.toContain('PaymentAuthorized.v2');
  });

  it('given a restart mid-payment, when the AuthorizePayment command runs again, then the idempotent gateway answers once and the order moves once', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    await Promise.all([bed.runPaymentWorker(orderId), bed.runPaymentWorker(orderId)]);
    expect(bed.gateway.authorizedOrders).toBe(1);
    expect((await bed.eventTypes(orderId)).filter((type) => type === 'PaymentAuthorized.v2')).toHaveLength(1);
    expect((await bed.publishedTypes()).filter((type) => type.endsWith('CommitReservation.v1'))).toHaveLength(1);
  });
});

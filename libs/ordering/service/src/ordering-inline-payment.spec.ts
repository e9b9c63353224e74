import { TOPICS } from '@stockade/contracts';
import { orderingOutbox } from './ordering-outbox';
import { slowTokens } from './simulated-payment-gateway';
import {
  checkout,
  envelopeValue,
  gatewayHoldingItsAnswer,
  inventory,
  orderingTestbed,
} from './testing/ordering-testbed';

const INV = TOPICS.inventoryCommands;

async function eventually(condition: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition());) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const PAY = TOPICS.paymentCommands;
const OUT = TOPICS.orderEvents;

describe('payment decided inline as the reservation is taken in (ADR 0033)', () => {
  it('given an approving gateway, when inventory reports the reservation, then the reservation and the approval are one append and the commit goes out without a payment command', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000 });
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    const stream = await bed.store.readStream(`order-${orderId}`);
    expect(stream.map((event) => [event.type, event.version])).toEqual([
      ['OrderPlaced.v2', 0],
      ['StockReserved.v2', 1],
      ['PaymentAuthorized.v2', 2],
    ]);
    // One append: both carry the causing message, the inventory report.
    expect(new Set(stream.slice(1).map((event) => event.metadata.causationId)).size).toBe(1);
    expect(bed.gateway.authorizedOrders).toBe(1);
    expect(await bed.publishedTypes()).toEqual([`${INV} ReserveStock.v1`, `${INV} CommitReservation.v1`]);

    await bed.service.handleInventoryEvent(inventory.committed(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({ status: 'COMPLETED' });
    expect((await bed.publishedTypes()).at(-1)).toBe(`${OUT} OrderCompleted.v1`);
  });

  it('given a declining card, when the reservation is reported, then the decline is recorded with it and the release is sent', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000 });
    const { orderId } = await bed.service.placeOrder(checkout({ paymentToken: 'decline:insufficient funds' }));
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2', 'PaymentDeclined.v2']);
    expect(await bed.publishedTypes()).toEqual([`${INV} ReserveStock.v1`, `${INV} ReleaseReservation.v1`]);
    await bed.service.handleInventoryEvent(inventory.released(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['payment declined: insufficient funds'],
    });
  });

  it('given a gateway slower than the inline wait, when the reservation is reported, then it is recorded alone at once (the order awaits payment) and the AuthorizePayment command asks again, answered the same', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 20, tokenRules: [slowTokens] });
    const { orderId } = await bed.service.placeOrder(checkout({ paymentToken: 'delay:150' }));
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2']);
    expect(await bed.publishedTypes()).toEqual([`${INV} ReserveStock.v1`, `${PAY} AuthorizePayment.v1`]);
    expect(bed.inlinePaymentFailures).toEqual([]);

    await bed.runPaymentWorker(orderId);
    await eventually(async () => (await bed.eventTypes(orderId)).length === 3); // the inline call's late answer finds it decided
    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2', 'PaymentAuthorized.v2']);
    expect(bed.gateway.authorizedOrders).toBe(1);
  });

  it('given a slow gateway, when the reservation expires while the payment is still out, then the order is cancelled as expired and the late approval voided, as without inline payment', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 20, tokenRules: [slowTokens] });
    const { orderId } = await bed.service.placeOrder(checkout({ paymentToken: 'delay:150' }));
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.service.handleInventoryEvent(inventory.expired(orderId));
    await bed.runPaymentWorker(orderId); // finds the order ended: asks nothing
    await eventually(async () => (await bed.eventTypes(orderId)).includes('PaymentVoidRequested.v2'));

    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['reservation expired'],
    });
    expect((await bed.publishedTypes()).at(-1)).toBe(`${PAY} VoidPayment.v1`);
    expect(bed.gateway.authorizedOrders).toBe(1);
  });

  it('given a gateway that fails, when the reservation is reported, then it is recorded alone, the operator is told, and the AuthorizePayment command takes over', async () => {
    let failing = true;
    const bed = orderingTestbed({
      inlinePaymentWaitMs: 1_000,
      paymentGateway: {
        tokenize: async () => 'ref',
        authorize: async () => {
          if (failing) throw new Error('connection reset');
          return { outcome: 'approved' };
        },
        void: async () => undefined,
      },
    });
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2']);
    expect(await bed.publishedTypes()).toEqual([`${INV} ReserveStock.v1`, `${PAY} AuthorizePayment.v1`]);
    expect(bed.inlinePaymentFailures).toEqual([expect.objectContaining({ code: 'UNAVAILABLE', retriable: true })]);

    failing = false;
    await bed.runPaymentWorker(orderId);
    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2', 'PaymentAuthorized.v2']);
    expect((await bed.publishedTypes()).at(-1)).toBe(`${INV} CommitReservation.v1`);
  });

  it('given the reservation and payment recorded, when inventory redelivers the reservation, then the gateway is not asked again and nothing is written', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000 });
    const { orderId } = await bed.service.placeOrder(checkout());
    const report = inventory.reserved(orderId);
    await bed.service.handleInventoryEvent(report);
    await bed.service.handleInventoryEvent(report);
    await bed.service.handleInventoryEvent(inventory.reserved(orderId)); // the same news under another message id

    expect(bed.gateway.authorizedOrders).toBe(1);
    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2', 'PaymentAuthorized.v2']);
  });

  it('given the same report handled twice at once (a redelivery racing the first), when both finish, then the order is paid and recorded once', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000 });
    const { orderId } = await bed.service.placeOrder(checkout());
    const report = inventory.reserved(orderId);
    await Promise.all([bed.service.handleInventoryEvent(report), bed.service.handleInventoryEvent(report)]);

    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockReserved.v2', 'PaymentAuthorized.v2']);
    expect((await bed.publishedTypes()).filter((type) => type.endsWith('CommitReservation.v1'))).toHaveLength(1);
  });

  it('given the gateway still deciding, when the customer cancels, then the late approval is voided and the reservation released', async () => {
    const held = gatewayHoldingItsAnswer();
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000, paymentGateway: held.gateway });
    const { orderId } = await bed.service.placeOrder(checkout());
    const reported = bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await held.asked;
    await bed.service.cancelOrder(orderId);
    held.approve();
    await reported;

    expect(await bed.eventTypes(orderId)).toEqual([
      'OrderPlaced.v2',
      'OrderCancellationRequested.v2',
      'PaymentVoidRequested.v2',
    ]);
    expect(await bed.publishedTypes()).toEqual([
      `${INV} ReserveStock.v1`,
      `${INV} ReleaseReservation.v1`,
      `${PAY} VoidPayment.v1`,
    ]);
    await bed.service.handleInventoryEvent(inventory.released(orderId));
    await expect(bed.service.getOrder(orderId)).resolves.toMatchObject({
      status: 'CANCELLED',
      reasons: ['cancelled by customer'],
    });
  });

  it('given a cancel before the reservation was reported, when it is, then the gateway is not asked', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000 });
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.cancelOrder(orderId);
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));

    expect(bed.gateway.authorizedOrders).toBe(0);
    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'OrderCancellationRequested.v2']);
  });

  it('given a StockReserved stored before ADR 0033 (no flag), when the relay maps it, then the AuthorizePayment command still goes out', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    const [, reserved] = await bed.store.readStream(`order-${orderId}`);

    expect(reserved?.data).not.toHaveProperty('paymentDecided');
    expect(
      orderingOutbox(reserved!).map(({ topic, message }) => [topic, (message.value as { type: string }).type]),
    ).toEqual([[PAY, 'AuthorizePayment.v1']]);
  });

  it('given an order in parts on a sharded inventory, when one part is reserved, then payment waits for the others (no inline call)', async () => {
    const bed = orderingTestbed({ inlinePaymentWaitMs: 1_000, inventoryShards: 4 });
    // LAMP and DESK: two SKUs; the test only needs an order the sharding splits, found below.
    const { orderId } = await bed.service.placeOrder(checkout());
    const [placed] = await bed.store.readStream(`order-${orderId}`);
    const parts = (placed?.data as { parts?: { shard: number }[] }).parts ?? [];
    if (parts.length < 2) throw new Error('the fixture order should span two shards');
    const firstShard = parts[0]!.shard;
    await bed.service.handleInventoryEvent(
      envelopeValue(
        'StockReserved.v1',
        { checkoutId: orderId, lines: [], expiresAt: '2026-03-01T10:15:00.000Z', shard: firstShard },
        orderId,
      ),
    );

    expect(bed.gateway.authorizedOrders).toBe(0);
    expect(await bed.eventTypes(orderId)).toEqual(['OrderPlaced.v2', 'StockPartReserved.v2']);
  });
});

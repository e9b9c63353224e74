import {
  AuthorizePaymentV1,
  CommitReservationV1,
  OrderCancelledV1,
  OrderCompletedV1,
  OrderRejectedV1,
  ReleaseReservationV1,
  ReserveStockV1,
  TOPICS,
} from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import type { z } from 'zod';
import { orderingOutbox } from './ordering-outbox';
import { VoidPaymentV1 } from './payment-messages';
import { checkout, inventory, orderingTestbed, OrderingTestbed } from './testing/ordering-testbed';

const SCHEMAS: Record<string, z.ZodType> = {
  'ReserveStock.v1': ReserveStockV1,
  'ReleaseReservation.v1': ReleaseReservationV1,
  'CommitReservation.v1': CommitReservationV1,
  'AuthorizePayment.v1': AuthorizePaymentV1,
  'VoidPayment.v1': VoidPaymentV1,
  'OrderCompleted.v1': OrderCompletedV1,
  'OrderRejected.v1': OrderRejectedV1,
  'OrderCancelled.v1': OrderCancelledV1,
};

/** Runs orders down every path so the store holds every kind of order event. */
async function everyPath(bed: OrderingTestbed) {
  const completed = (await bed.service.placeOrder(checkout())).orderId;
  await bed.service.handleInventoryEvent(inventory.reserved(completed));
  await bed.runPaymentWorker(completed);
  await bed.service.handleInventoryEvent(inventory.committed(completed));

  const rejected = (await bed.service.placeOrder(checkout())).orderId;
  await bed.service.handleInventoryEvent(inventory.rejected(rejected));

  const declined = (await bed.service.placeOrder(checkout({ paymentToken: 'decline:expired-card' }))).orderId;
  await bed.service.handleInventoryEvent(inventory.reserved(declined));
  await bed.runPaymentWorker(declined);
  await bed.service.handleInventoryEvent(inventory.released(declined));

  const refused = (await bed.service.placeOrder(checkout())).orderId;
  await bed.service.handleInventoryEvent(inventory.reserved(refused));
  await bed.runPaymentWorker(refused);
  await bed.service.handleInventoryEvent(inventory.commitRefused(refused));
}

describe('orderingOutbox', () => {
  it('given orders down every path, then every message it produces passes its contract schema', async () => {
    const bed = orderingTestbed();
    await everyPath(bed);
    const messages = await bed.published();

    expect(new Set(messages.map(({ message }) => (message.value as { type: string }).type))).toEqual(new Set(Object.keys(SCHEMAS)));
    for (const { message } of messages) {
      const { type } = message.value as { type: string };
      const result = (SCHEMAS[type] as z.ZodType).safeParse(message.value);
      expect({ type, issues: result.error?.issues ?? [] }).toEqual({ type, issues: [] });
    }
  });

  it('given a stored outbox command, then its envelope carries the event id, the order as correlation and the cause', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout(), { messageId: 'http-request-42' });
    const [placed, requested] = await bed.store.readStream(`order-${orderId}`);

    expect(orderingOutbox(placed as RecordedEvent)).toEqual([]);
    expect(orderingOutbox(requested as RecordedEvent)).toEqual([
      {
        topic: TOPICS.inventoryCommands,
        message: {
          key: orderId,
          value: {
            messageId: requested?.id,
            type: 'ReserveStock.v1',
            correlationId: orderId,
            causationId: 'http-request-42',
            occurredAt: '2026-03-01T10:00:00.000Z',
            data: { checkoutId: orderId, lines: [{ sku: 'LAMP', quantity: 2 }, { sku: 'DESK', quantity: 1 }] },
          },
        },
      },
    ]);
  });

  it('given facts the saga recorded, then they stay inside', async () => {
    const bed = orderingTestbed();
    await everyPath(bed);
    const facts = (await bed.store.readAll()).filter((event) => !/Requested$|^Order(Completed|Rejected|Cancelled)$/.test(event.type));
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.flatMap(orderingOutbox)).toEqual([]);
  });

  it('given an event from another stream or of an unknown type, then nothing is published', () => {
    const base = { id: 'e-1', data: { orderId: 'o-1' }, metadata: { correlationId: 'o-1', causationId: 'c', occurredAt: '2026-03-01T10:00:00.000Z' } };
    const at = { version: 0, position: 1, recordedAt: '2026-03-01T10:00:00.000Z' };
    expect(orderingOutbox({ ...base, ...at, stream: 'reservation-o-1', type: 'OrderCompleted' })).toEqual([]);
    expect(orderingOutbox({ ...base, ...at, stream: 'order-o-1', type: 'OrderTeleported' })).toEqual([]);
  });
});

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

    expect(new Set(messages.map(({ message }) => (message.value as { type: string }).type))).toEqual(
      new Set(Object.keys(SCHEMAS)),
    );
    for (const { message } of messages) {
      const { type } = message.value as { type: string };
      const result = (SCHEMAS[type] as z.ZodType).safeParse(message.value);
      expect({ type, issues: result.error?.issues ?? [] }).toEqual({ type, issues: [] });
    }
  });

  it('given an order placed, then the reservation request derived from it carries the event id, the order as correlation and the cause', async () => {
    const bed = orderingTestbed();
    const { orderId } = await bed.service.placeOrder(checkout(), { messageId: 'http-request-42' });
    const [placed] = await bed.store.readStream(`order-${orderId}`);

    expect(orderingOutbox(placed as RecordedEvent)).toEqual([
      {
        topic: TOPICS.inventoryCommands,
        message: {
          key: orderId,
          value: {
            messageId: placed?.id,
            type: 'ReserveStock.v1',
            correlationId: orderId,
            causationId: 'http-request-42',
            occurredAt: '2026-03-01T10:00:00.000Z',
            data: {
              checkoutId: orderId,
              lines: [
                { sku: 'LAMP', quantity: 2 },
                { sku: 'DESK', quantity: 1 },
              ],
            },
          },
        },
      },
    ]);
  });

  it('given one event that implies two commands (a payment time-out), then both are sent, with distinct ids derived from the event', async () => {
    const bed = orderingTestbed({ rules: [() => ({ outcome: 'approved', delayMs: 1_000 })], paymentTimeoutMs: 10 });
    const { orderId } = await bed.service.placeOrder(checkout());
    await bed.service.handleInventoryEvent(inventory.reserved(orderId));
    await bed.runPaymentWorker(orderId);
    const timedOut = (await bed.store.readStream(`order-${orderId}`)).at(-1) as RecordedEvent;

    const messages = orderingOutbox(timedOut);
    expect(timedOut.type).toBe('PaymentTimedOut.v2');
    expect(messages.map(({ topic, message }) => [topic, (message.value as { type: string }).type])).toEqual([
      [TOPICS.inventoryCommands, 'ReleaseReservation.v1'],
      [TOPICS.paymentCommands, 'VoidPayment.v1'],
    ]);
    const ids = messages.map(({ message }) => (message.value as { messageId: string }).messageId);
    expect(ids[0]).toBe(timedOut.id);
    expect(new Set(ids).size).toBe(2);
    expect(orderingOutbox(timedOut)).toEqual(messages);
  });

  it('given every path, then each stored event sends what the saga asked for and nothing twice', async () => {
    const bed = orderingTestbed();
    await everyPath(bed);
    const messages = await bed.published();
    const ids = messages.map(({ message }) => (message.value as { messageId: string }).messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await bed.store.readAll()).length).toBe(4 + 2 + 4 + 5);
  });

  it('given an event from another stream or of an unknown type, then nothing is published', () => {
    const base = {
      id: 'e-1',
      data: { orderId: 'o-1' },
      metadata: { correlationId: 'o-1', causationId: 'c', occurredAt: '2026-03-01T10:00:00.000Z' },
    };
    const at = { version: 0, position: 1, recordedAt: '2026-03-01T10:00:00.000Z' };
    expect(orderingOutbox({ ...base, ...at, stream: 'reservation-o-1', type: 'OrderCompleted.v2' })).toEqual([]);
    expect(orderingOutbox({ ...base, ...at, stream: 'order-o-1', type: 'OrderTeleported.v2' })).toEqual([]);
    expect(orderingOutbox({ ...base, ...at, stream: 'order-o-1', type: 'OrderCompleted.v3' })).toEqual([]);
  });
});

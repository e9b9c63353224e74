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
import type { OutgoingMessage } from '@stockade/messaging';
import { isOrderFact, ORDER_STREAM_PREFIX, OrderEvent } from '@stockade/ordering-domain';
import type { z } from 'zod';
import { VoidPaymentV1 } from './payment-messages';

export interface OutboxMessage {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

/**
 * The order stream is the outbox: the relay hands every stored event to this mapping and
 * publishes what comes back. Outbox commands go to inventory (keyed by checkout id) or to the
 * payment worker, outcomes to upstream (keyed by order id; the two ids are the same). Facts
 * stay inside. messageId is the event id, so a relay that re-publishes sends the same message.
 */
export function orderingOutbox(recorded: RecordedEvent): OutboxMessage[] {
  if (!recorded.stream.startsWith(ORDER_STREAM_PREFIX)) return [];
  const event = recorded as unknown as OrderEvent;
  const orderId = event.data.orderId;
  const envelope = <Type extends string, Data>(type: Type, data: Data) => ({
    messageId: recorded.id,
    type,
    correlationId: orderId,
    causationId: recorded.metadata.causationId,
    occurredAt: recorded.metadata.occurredAt,
    data,
  });
  const send = (topic: string, value: unknown): OutboxMessage[] => [{ topic, message: { key: orderId, value } }];

  if (isOrderFact(event)) return []; // facts stay inside the order stream
  switch (event.type) {
    case 'StockReservationRequested':
      return send(TOPICS.inventoryCommands, envelope('ReserveStock.v1', { checkoutId: orderId, lines: [...event.data.lines] }) satisfies ReserveStock);
    case 'ReservationReleaseRequested':
      return send(
        TOPICS.inventoryCommands,
        envelope('ReleaseReservation.v1', { checkoutId: orderId, reason: event.data.reason }) satisfies ReleaseReservation,
      );
    case 'ReservationCommitRequested':
      return send(TOPICS.inventoryCommands, envelope('CommitReservation.v1', { checkoutId: orderId }) satisfies CommitReservation);
    case 'PaymentAuthorizationRequested':
      return send(TOPICS.paymentCommands, envelope('AuthorizePayment.v1', { ...event.data }) satisfies AuthorizePayment);
    case 'PaymentVoidRequested':
      return send(TOPICS.paymentCommands, envelope('VoidPayment.v1', { ...event.data }) satisfies VoidPayment);
    case 'OrderCompleted':
      return send(TOPICS.orderEvents, envelope('OrderCompleted.v1', { ...event.data, lines: [...event.data.lines] }) satisfies OrderCompleted);
    case 'OrderRejected':
      return send(TOPICS.orderEvents, envelope('OrderRejected.v1', { ...event.data, reasons: [...event.data.reasons] }) satisfies OrderRejected);
    case 'OrderCancelled':
      return send(TOPICS.orderEvents, envelope('OrderCancelled.v1', { ...event.data, reasons: [...event.data.reasons] }) satisfies OrderCancelled);
    case 'OrderPlaced':
      return [];
    default:
      return keepUnknownEventsInside(event);
  }
}

/** Compile time: every known event is mapped above. Run time: an event type from a newer writer is not ours to publish. */
function keepUnknownEventsInside(_event: never): OutboxMessage[] {
  return [];
}

type ReserveStock = z.input<typeof ReserveStockV1>;
type ReleaseReservation = z.input<typeof ReleaseReservationV1>;
type CommitReservation = z.input<typeof CommitReservationV1>;
type AuthorizePayment = z.input<typeof AuthorizePaymentV1>;
type VoidPayment = z.input<typeof VoidPaymentV1>;
type OrderCompleted = z.input<typeof OrderCompletedV1>;
type OrderRejected = z.input<typeof OrderRejectedV1>;
type OrderCancelled = z.input<typeof OrderCancelledV1>;

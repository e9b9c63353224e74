import { TOPICS } from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import type { RelayedMessage } from '@stockade/messaging';

type V1Data = { readonly orderId: string } & Readonly<Record<string, unknown>>;

/**
 * Event model v1 stored the saga's commands and outcomes as order events; a data directory
 * written by v1 may hold some its relay had not published yet. They are published exactly as v1
 * published them (same topics, message types and ids), so an upgrade mid-flight loses nothing.
 * v1's facts (StockReserved, PaymentAuthorized, …) stayed inside: their commands follow them.
 */
export function v1OutboxMessages(recorded: RecordedEvent): RelayedMessage[] {
  const data = recorded.data as V1Data;
  const send = (topic: string, type: string, payload: object): RelayedMessage[] => [
    {
      topic,
      message: {
        key: data.orderId,
        value: {
          messageId: recorded.id,
          type,
          correlationId: data.orderId,
          causationId: recorded.metadata.causationId,
          occurredAt: recorded.metadata.occurredAt,
          data: payload,
        },
      },
    },
  ];
  const checkoutId = data.orderId;
  switch (recorded.type) {
    case 'StockReservationRequested':
      return send(TOPICS.inventoryCommands, 'ReserveStock.v1', { checkoutId, lines: data['lines'] });
    case 'ReservationReleaseRequested':
      return send(TOPICS.inventoryCommands, 'ReleaseReservation.v1', { checkoutId, reason: data['reason'] });
    case 'ReservationCommitRequested':
      return send(TOPICS.inventoryCommands, 'CommitReservation.v1', { checkoutId });
    case 'PaymentAuthorizationRequested': {
      // v1 stored the shopper's token beside the amount; it is not sent on (ADR 0021): the payment worker exchanges the order's.
      const { paymentToken: _token, ...withoutToken } = data;
      return send(TOPICS.paymentCommands, 'AuthorizePayment.v1', withoutToken);
    }
    case 'PaymentVoidRequested':
      return send(TOPICS.paymentCommands, 'VoidPayment.v1', { ...data });
    case 'OrderCompleted':
      return send(TOPICS.orderEvents, 'OrderCompleted.v1', { ...data });
    case 'OrderRejected':
      return send(TOPICS.orderEvents, 'OrderRejected.v1', { ...data });
    case 'OrderCancelled':
      return send(TOPICS.orderEvents, 'OrderCancelled.v1', { ...data });
    default:
      return [];
  }
}

import { InventoryEvent, parseOrThrow } from '@stockade/contracts';
import { assertNever } from '@stockade/kernel';
import type { ReportedFact } from '@stockade/ordering-domain';
import { parseRawJson } from './raw-json';

/** An inventory message, validated and turned into the fact it reports about one order. */
export interface InventoryReport {
  readonly messageId: string;
  readonly orderId: string;
  readonly fact: ReportedFact;
}

export function readInventoryEvent(rawValue: string): InventoryReport {
  const message = parseOrThrow(InventoryEvent, parseRawJson(rawValue));
  const orderId = message.data.checkoutId;
  return { messageId: message.messageId, orderId, fact: toFact(message, orderId) };
}

function toFact(message: InventoryEvent, orderId: string): ReportedFact {
  switch (message.type) {
    case 'StockReserved.v1':
      return { type: 'StockReserved', data: { orderId, expiresAt: message.data.expiresAt } };
    case 'StockReservationRejected.v1':
      return { type: 'StockReservationRejected', data: { orderId, shortLines: message.data.shortLines } };
    case 'ReservationReleased.v1':
      return { type: 'ReservationReleased', data: { orderId, reason: message.data.reason } };
    case 'ReservationExpired.v1':
      return { type: 'ReservationExpired', data: { orderId } };
    case 'ReservationCommitted.v1':
      return { type: 'ReservationCommitted', data: { orderId } };
    case 'ReservationCommitRefused.v1':
      return { type: 'ReservationCommitRefused', data: { orderId, reason: message.data.reason } };
    default:
      return assertNever(message, 'inventory event');
  }
}

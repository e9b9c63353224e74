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

/** A report about one part of an order in several parts names its shard (ADR 0020). */
function toFact(message: InventoryEvent, orderId: string): ReportedFact {
  const part = message.data.shard === undefined ? {} : { shard: message.data.shard };
  switch (message.type) {
    case 'StockReserved.v1':
      return { type: 'StockReserved', data: { orderId, expiresAt: message.data.expiresAt, ...part } };
    case 'StockReservationRejected.v1':
      return { type: 'StockReservationRejected', data: { orderId, shortLines: message.data.shortLines, ...part } };
    case 'ReservationReleased.v1':
      return { type: 'ReservationReleased', data: { orderId, reason: message.data.reason, ...part } };
    case 'ReservationExpired.v1':
      return { type: 'ReservationExpired', data: { orderId, ...part } };
    case 'ReservationCommitted.v1':
      return { type: 'ReservationCommitted', data: { orderId, ...part } };
    case 'ReservationCommitRefused.v1':
      return { type: 'ReservationCommitRefused', data: { orderId, reason: message.data.reason, ...part } };
    default:
      return assertNever(message, 'inventory event');
  }
}

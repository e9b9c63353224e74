import { assertNever } from '@stockade/kernel';
import type { OrderEvent } from './order-events';

export const CANCELLED_BY_CUSTOMER = 'cancelled by customer';
export const PAYMENT_TIMED_OUT = 'payment timed out';
export const RESERVATION_EXPIRED = 'reservation expired';

/** What the saga asks another service to do. */
export type SagaCommand =
  | { readonly kind: 'ReserveStock'; readonly lines: readonly { readonly sku: string; readonly quantity: number }[] }
  | { readonly kind: 'AuthorizePayment'; readonly amount: number; readonly paymentToken?: string }
  | { readonly kind: 'CommitReservation' }
  | { readonly kind: 'ReleaseReservation'; readonly reason: string }
  | { readonly kind: 'VoidPayment'; readonly reason: string };

/**
 * The commands a stored order event implies, from the event alone: the relay sends them, and
 * `evolve` records what was asked (the release reason, a void) from the same function, so the
 * two cannot disagree. This is why v2 stores no `…Requested` event next to each fact.
 */
export function sagaCommandsOf(event: OrderEvent): readonly SagaCommand[] {
  const { data } = event;
  switch (event.type) {
    case 'OrderPlaced':
      return [{ kind: 'ReserveStock', lines: event.data.lines.map(({ sku, quantity }) => ({ sku, quantity })) }];
    case 'StockReserved':
      return [{ kind: 'AuthorizePayment', amount: event.data.amount, ...(event.data.paymentToken === undefined ? {} : { paymentToken: event.data.paymentToken }) }];
    case 'PaymentAuthorized':
      return [{ kind: 'CommitReservation' }];
    case 'PaymentDeclined':
      return [{ kind: 'ReleaseReservation', reason: `payment declined: ${event.data.reason}` }];
    case 'PaymentTimedOut':
      // The gateway may still approve after we stopped waiting: void whatever it decides.
      return [
        { kind: 'ReleaseReservation', reason: PAYMENT_TIMED_OUT },
        { kind: 'VoidPayment', reason: PAYMENT_TIMED_OUT },
      ];
    case 'OrderCancellationRequested':
      return [{ kind: 'ReleaseReservation', reason: CANCELLED_BY_CUSTOMER }];
    case 'PaymentVoidRequested':
      return [{ kind: 'VoidPayment', reason: event.data.reason }];
    case 'OrderCompleted':
    case 'OrderRejected':
    case 'OrderCancelled':
      return NO_COMMANDS;
    default:
      return assertNever(event, `order event for ${data.orderId}`);
  }
}

const NO_COMMANDS: readonly SagaCommand[] = [];

import { totalOf, type OrderStatus } from '@stockade/contracts';
import { assertNever } from '@stockade/kernel';
import type { OrderLine, ReservationPart, ShortLine } from './order-events';

/**
 * Where an order's saga stands. PLACED: reservation requested. AWAITING_PAYMENT: stock held,
 * payment requested. COMMITTING: payment authorized, commit requested. RELEASING: giving the
 * stock back before cancelling. The last three are terminal.
 */
export type OrderPhase =
  'PLACED' | 'AWAITING_PAYMENT' | 'COMMITTING' | 'RELEASING' | 'COMPLETED' | 'REJECTED' | 'CANCELLED';

export interface PlacedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly paymentRef?: string;
  /** Only for an order placed before ADR 0021: the token it stored, for the payment worker to exchange for a reference. */
  readonly legacyPaymentToken?: string;
  readonly total: number;
  readonly placedAt: string;
  readonly parts?: readonly ReservationPart[];
}

/** How far the parts of an order in several parts are (ADR 0020): answers and commits by shard. */
export interface PartsProgress {
  /** Held parts: shard → when the hold ends. */
  readonly reserved: Readonly<Record<number, string>>;
  /** Refused parts: shard → their short lines. */
  readonly rejected: Readonly<Record<number, readonly ShortLine[]>>;
  readonly committed: readonly number[];
}

export interface NoOrder {
  readonly kind: 'none';
}

export interface ExistingOrder {
  readonly kind: 'existing';
  readonly phase: OrderPhase;
  readonly order: PlacedOrder;
  /** Why the order was rejected or cancelled (empty otherwise). */
  readonly reasons: readonly string[];
  /** Why the release was requested: it becomes the cancellation reason once inventory confirms. */
  readonly releaseReason?: string;
  /** A void is requested at most once, whatever mix of late payment news arrives. */
  readonly paymentVoidRequested: boolean;
  /** Only for an order in several parts. */
  readonly parts?: PartsProgress;
}

export type OrderState = NoOrder | ExistingOrder;

export const NO_ORDER: NoOrder = { kind: 'none' };

/** The public API shows only whether the order is still in flight, not which step it is on. */
export function publicStatusOf(phase: OrderPhase): OrderStatus {
  switch (phase) {
    case 'PLACED':
    case 'AWAITING_PAYMENT':
    case 'COMMITTING':
    case 'RELEASING':
      return 'PENDING';
    case 'COMPLETED':
    case 'REJECTED':
    case 'CANCELLED':
      return phase;
    default:
      return assertNever(phase, 'order phase');
  }
}

/** The payment reference the saga asks payments with (absent: none given, or an order placed before ADR 0021). */
export function paymentRefOf(order: PlacedOrder): { paymentRef?: string } {
  return order.paymentRef === undefined ? {} : { paymentRef: order.paymentRef };
}

/** Sum of the lines in whole minor units (the money rule, ADR 0022), so 3 × 0.1 is 0.3 and not 0.30000000000000004. */
export function orderTotal(lines: readonly OrderLine[]): number {
  return totalOf(lines);
}

import type { ReservationLine, ReservationStatus, ShortLine } from '@stockade/inventory-domain';

/**
 * Who asked and why. `commandId` makes the command idempotent (event ids derive from it);
 * `correlationId` is the checkout/order id; `causationId` the message that caused the command.
 */
export interface CommandMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The W3C trace the command was handled in (tracing on): its events carry it, so the relay continues the trace. */
  readonly traceparent?: string;
}

/** A reserve's answer. A repeat for a checkout that already has an outcome returns that outcome. */
export type ReserveOutcome =
  | {
      readonly status: 'accepted';
      readonly checkoutId: string;
      readonly lines: readonly ReservationLine[];
      readonly expiresAt: string;
    }
  | { readonly status: 'rejected'; readonly checkoutId: string; readonly shortLines: readonly ShortLine[] }
  /** The checkout was released before this reserve arrived, or is already closed: nothing was taken. */
  | { readonly status: 'closed'; readonly checkoutId: string; readonly reservation: ReservationStatus };

/** A release's or expiry's answer: whether this command changed anything, and where the reservation is now. */
export interface ReservationChange {
  readonly checkoutId: string;
  readonly changed: boolean;
  readonly reservation: ReservationStatus;
}

export type CommitOutcome =
  | { readonly status: 'committed'; readonly checkoutId: string }
  | { readonly status: 'refused'; readonly checkoutId: string; readonly reason: string };

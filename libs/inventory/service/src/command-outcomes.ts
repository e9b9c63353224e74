import type { InventoryView } from '@stockade/contracts';
import { assertNever, InvariantViolation } from '@stockade/kernel';
import { CheckoutEvent, ReservationState, StockState } from '@stockade/inventory-domain';
import { toInventoryView } from './inventory-view';
import type { CommitOutcome, ReservationChange, ReserveOutcome } from './outcomes';

/** What the writer knows after deciding one command: the states after it and its events. */
export interface Decided {
  readonly reservation: ReservationState;
  readonly stocks: Readonly<Record<string, StockState>>;
  readonly events: readonly CheckoutEvent[];
}

/**
 * Outcomes are read from the state AFTER the command, not from its events, so a repeat
 * (which emits nothing) answers exactly like the first delivery did.
 */
export const stockView =
  (sku: string, limitedThreshold: number) =>
  ({ stocks }: Decided): InventoryView => {
    const stock = stocks[sku];
    if (!stock?.exists) throw new InvariantViolation(`${sku}: no stock state after a stock command`);
    return toInventoryView(sku, stock, limitedThreshold);
  };

export const reserveOutcome =
  (checkoutId: string) =>
  ({ reservation }: Decided): ReserveOutcome => {
    switch (reservation.status) {
      case 'accepted':
        return { status: 'accepted', checkoutId, lines: reservation.lines, expiresAt: reservation.expiresAt };
      case 'rejected':
        return { status: 'rejected', checkoutId, shortLines: reservation.shortLines };
      case 'none':
      case 'released':
      case 'expired':
      case 'committed':
        return { status: 'closed', checkoutId, reservation: reservation.status };
      default:
        return assertNever(reservation, 'reservation state');
    }
  };

export const reservationChange =
  (checkoutId: string) =>
  ({ reservation, events }: Decided): ReservationChange => ({
    checkoutId,
    changed: events.length > 0,
    reservation: reservation.status,
  });

export const commitOutcome =
  (checkoutId: string) =>
  ({ reservation }: Decided): CommitOutcome => {
    if (reservation.status === 'committed') return { status: 'committed', checkoutId };
    return {
      status: 'refused',
      checkoutId,
      reason: reservation.commitRefusal ?? `reservation for checkout ${checkoutId} is ${reservation.status}`,
    };
  };

import { assertNever, Decider, ValidationError } from '@stockade/kernel';
import type { DecisionTime, DomainCommand } from '../domain-event';
import { isReservationEvent, ReservationEvent, ReservationLine } from '../reservation/reservation-events';
import { evolveReservation, initialReservationState, ReservationState } from '../reservation/reservation-state';
import { decideStock, evolveStock, initialStockState, StockState } from '../stock/stock-decider';
import type { StockEvent, StockReleaseReason } from '../stock/stock-events';
import { shortLinesOf } from './short-lines';

/**
 * A checkout's decision spans its Reservation stream and the Stock streams of its SKUs, so
 * the decider's state is both: the service loads them, stores the events of all of them in
 * one atomic append, and a reservation is therefore all lines or none.
 */
export interface CheckoutState {
  readonly reservation: ReservationState;
  /** Stock of the SKUs the command touches (see `skusTouchedBy`); a missing SKU is unknown. */
  readonly stocks: Readonly<Record<string, StockState>>;
}

export type ReserveStock = DomainCommand<
  'ReserveStock',
  { checkoutId: string; lines: readonly ReservationLine[]; ttlMs: number },
  DecisionTime
>;
export type ReleaseReservation = DomainCommand<'ReleaseReservation', { checkoutId: string; reason: string }>;
export type CommitReservation = DomainCommand<'CommitReservation', { checkoutId: string }>;
export type ExpireReservation = DomainCommand<'ExpireReservation', { checkoutId: string }, DecisionTime>;

export type CheckoutCommand = ReserveStock | ReleaseReservation | CommitReservation | ExpireReservation;
export type CheckoutEvent = ReservationEvent | StockEvent;

export function decideCheckout(command: CheckoutCommand, state: CheckoutState): readonly CheckoutEvent[] {
  const { reservation } = state;
  const { checkoutId } = command.data;
  switch (command.type) {
    case 'ReserveStock':
      return reserve(command, state);
    case 'ReleaseReservation':
      // Nothing was reserved yet: record the release anyway, so a reserve that arrives late
      // (a retry, a redelivery that overtook nothing) finds an outcome and takes no stock.
      if (reservation.status === 'none')
        return [{ type: 'ReservationReleased', data: { checkoutId, reason: command.data.reason } }];
      if (reservation.status !== 'accepted') return [];
      return [
        ...giveBack(reservation.lines, checkoutId, 'released', state),
        { type: 'ReservationReleased', data: { checkoutId, reason: command.data.reason } },
      ];
    case 'ExpireReservation':
      if (reservation.status !== 'accepted' || Date.parse(reservation.expiresAt) > command.metadata.now.getTime())
        return [];
      return [
        ...giveBack(reservation.lines, checkoutId, 'expired', state),
        { type: 'ReservationExpired', data: { checkoutId } },
      ];
    case 'CommitReservation': {
      if (reservation.status === 'accepted') {
        const sold = reservation.lines.flatMap((line) =>
          decideStock({ type: 'CommitUnits', data: { sku: line.sku, checkoutId } }, stockOf(state, line.sku)),
        );
        return [...sold, { type: 'ReservationCommitted', data: { checkoutId } }];
      }
      if (reservation.status === 'committed' || reservation.commitRefusal !== undefined) return [];
      return [
        {
          type: 'ReservationCommitRefused',
          data: { checkoutId, reason: commitRefusalReason(checkoutId, reservation) },
        },
      ];
    }
    default:
      return assertNever(command, 'checkout command');
  }
}

/** The SKUs whose Stock state a command needs: its lines for a reserve, the held lines otherwise. */
export function skusTouchedBy(command: CheckoutCommand, reservation: ReservationState): readonly string[] {
  if (command.type === 'ReserveStock') return command.data.lines.map((line) => line.sku);
  return reservation.status === 'accepted' ? reservation.lines.map((line) => line.sku) : [];
}

export function evolveCheckout(state: CheckoutState, event: CheckoutEvent): CheckoutState {
  if (isReservationEvent(event)) return { ...state, reservation: evolveReservation(state.reservation, event) };
  const { sku } = event.data;
  return { ...state, stocks: { ...state.stocks, [sku]: evolveStock(stockOf(state, sku), event) } };
}

export const checkoutDecider: Decider<CheckoutCommand, CheckoutEvent, CheckoutState> = {
  decide: decideCheckout,
  evolve: evolveCheckout,
  initialState: () => ({ reservation: initialReservationState(), stocks: {} }),
};

function reserve(command: ReserveStock, state: CheckoutState): readonly CheckoutEvent[] {
  const { checkoutId, lines, ttlMs } = command.data;
  requireValidLines(lines);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new ValidationError([{ field: 'ttlMs', message: 'must be a positive number of milliseconds' }]);
  // A checkout has one outcome: a repeat (same or new command id) after it changes nothing.
  if (state.reservation.status !== 'none') return [];
  const shortLines = shortLinesOf(lines, state.stocks);
  if (shortLines.length > 0) return [{ type: 'ReservationRejected', data: { checkoutId, shortLines } }];
  const expiresAt = new Date(command.metadata.now.getTime() + ttlMs).toISOString();
  const held = lines.flatMap((line) =>
    decideStock(
      { type: 'ReserveUnits', data: { sku: line.sku, checkoutId, quantity: line.quantity, expiresAt } },
      stockOf(state, line.sku),
    ),
  );
  return [...held, { type: 'ReservationAccepted', data: { checkoutId, lines, expiresAt } }];
}

function giveBack(
  lines: readonly ReservationLine[],
  checkoutId: string,
  reason: StockReleaseReason,
  state: CheckoutState,
): readonly StockEvent[] {
  return lines.flatMap((line) =>
    decideStock({ type: 'ReleaseUnits', data: { sku: line.sku, checkoutId, reason } }, stockOf(state, line.sku)),
  );
}

function commitRefusalReason(checkoutId: string, reservation: ReservationState): string {
  switch (reservation.status) {
    case 'none':
      return `checkout ${checkoutId} has no reservation`;
    case 'rejected':
      return `reservation for checkout ${checkoutId} was rejected: ${reservation.shortLines.map((line) => line.reason).join('; ')}`;
    case 'released':
      return `reservation for checkout ${checkoutId} was released: ${reservation.reason}`;
    case 'expired':
      return `reservation for checkout ${checkoutId} expired at ${reservation.expiresAt}`;
    case 'accepted':
    case 'committed':
      return `reservation for checkout ${checkoutId} is ${reservation.status}`;
    default:
      return assertNever(reservation, 'reservation state');
  }
}

function requireValidLines(lines: readonly ReservationLine[]): void {
  if (lines.length === 0) throw new ValidationError([{ field: 'lines', message: 'must have at least one line' }]);
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new ValidationError([
        { field: `lines.${index}.quantity`, message: 'must be a whole number of at least 1' },
      ]);
    }
    if (seen.has(line.sku))
      throw new ValidationError([{ field: `lines.${index}.sku`, message: `must not repeat sku ${line.sku}` }]);
    seen.add(line.sku);
  });
}

const stockOf = (state: CheckoutState, sku: string): StockState => state.stocks[sku] ?? initialStockState();

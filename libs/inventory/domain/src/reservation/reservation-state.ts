import { assertNever, InvariantViolation } from '@stockade/kernel';
import type { ReservationEvent, ReservationLine, ShortLine } from './reservation-events';

/**
 * The Reservation aggregate, one stream per checkout:
 *
 *   none ──accepted──▶ accepted ──released | expired | committed──▶ (final)
 *   none ──rejected──▶ rejected (final)
 *   none ──released──▶ released   (a release that overtook its reserve: a tombstone)
 *
 * `commitRefusal` remembers a refused commit, so a redelivered commit is refused with the same
 * reason and no second event.
 */
interface Base {
  readonly checkoutId: string;
  readonly commitRefusal?: string;
}

export type ReservationState =
  | (Base & { readonly status: 'none' })
  | (Base & { readonly status: 'accepted'; readonly lines: readonly ReservationLine[]; readonly expiresAt: string })
  | (Base & { readonly status: 'rejected'; readonly shortLines: readonly ShortLine[] })
  | (Base & { readonly status: 'released'; readonly lines: readonly ReservationLine[]; readonly reason: string })
  | (Base & { readonly status: 'expired'; readonly lines: readonly ReservationLine[]; readonly expiresAt: string })
  | (Base & { readonly status: 'committed'; readonly lines: readonly ReservationLine[] });

export type ReservationStatus = ReservationState['status'];

export const initialReservationState = (): ReservationState => ({ status: 'none', checkoutId: '' });

/** Legal moves; anything else in a stream means the log was written by something else than us. */
const TRANSITIONS: Readonly<Record<ReservationEvent['type'], readonly ReservationStatus[]>> = {
  ReservationAccepted: ['none'],
  ReservationRejected: ['none'],
  ReservationReleased: ['none', 'accepted'],
  ReservationExpired: ['accepted'],
  ReservationCommitted: ['accepted'],
  ReservationCommitRefused: ['none', 'rejected', 'released', 'expired'],
};

export function evolveReservation(state: ReservationState, event: ReservationEvent): ReservationState {
  if (!TRANSITIONS[event.type].includes(state.status)) {
    throw new InvariantViolation(`reservation ${event.data.checkoutId}: ${event.type} cannot follow ${state.status}`);
  }
  const base = {
    checkoutId: event.data.checkoutId,
    ...(state.commitRefusal === undefined ? {} : { commitRefusal: state.commitRefusal }),
  };
  const lines = 'lines' in state ? state.lines : [];
  switch (event.type) {
    case 'ReservationAccepted':
      return { ...base, status: 'accepted', lines: event.data.lines, expiresAt: event.data.expiresAt };
    case 'ReservationRejected':
      return { ...base, status: 'rejected', shortLines: event.data.shortLines };
    case 'ReservationReleased':
      return { ...base, status: 'released', lines, reason: event.data.reason };
    case 'ReservationExpired':
      return { ...base, status: 'expired', lines, expiresAt: state.status === 'accepted' ? state.expiresAt : '' };
    case 'ReservationCommitted':
      return { ...base, status: 'committed', lines };
    case 'ReservationCommitRefused':
      return { ...state, commitRefusal: event.data.reason };
    default:
      return assertNever(event, 'reservation event');
  }
}

import { InvariantViolation } from '@stockade/kernel';
import type { ReservationEvent } from './reservation-events';
import { evolveReservation, initialReservationState } from './reservation-state';

const fold = (events: readonly ReservationEvent[]) => events.reduce(evolveReservation, initialReservationState());
const accepted: ReservationEvent = {
  type: 'ReservationAccepted',
  data: { checkoutId: 'c1', lines: [{ sku: 'LAMP', quantity: 1 }], expiresAt: '2026-01-01T00:15:00.000Z' },
};

describe('the Reservation state', () => {
  it('given an accepted reservation, when it expires, then it keeps its lines and expiry time', () => {
    expect(fold([accepted, { type: 'ReservationExpired', data: { checkoutId: 'c1' } }])).toEqual({
      status: 'expired',
      checkoutId: 'c1',
      lines: [{ sku: 'LAMP', quantity: 1 }],
      expiresAt: '2026-01-01T00:15:00.000Z',
    });
  });

  it('given a refused commit, then the refusal reason is remembered', () => {
    expect(fold([{ type: 'ReservationCommitRefused', data: { checkoutId: 'c1', reason: 'none' } }])).toMatchObject({
      status: 'none',
      commitRefusal: 'none',
    });
  });

  it('given a committed reservation, when an expiry event follows, then the log is refused as corrupt', () => {
    expect(() =>
      fold([
        accepted,
        { type: 'ReservationCommitted', data: { checkoutId: 'c1' } },
        { type: 'ReservationExpired', data: { checkoutId: 'c1' } },
      ]),
    ).toThrow(InvariantViolation);
  });
});

import { ValidationError } from '@stockade/kernel';
import { deciderSpec } from '@stockade/kernel/testing';
import type { StockEvent } from '../stock/stock-events';
import { CheckoutCommand, CheckoutEvent, checkoutDecider, decideCheckout, skusTouchedBy } from './checkout-decider';

const spec = deciderSpec(checkoutDecider);
const now = new Date('2026-01-01T00:00:00.000Z');
const TTL = 15 * 60_000;
const EXPIRES = '2026-01-01T00:15:00.000Z';

const received = (sku: string, quantity: number): StockEvent => ({
  type: 'StockReceived',
  data: { sku, quantity, onHand: quantity, reserved: 0 },
});
const reserve = (checkoutId: string, lines: { sku: string; quantity: number }[]): CheckoutCommand => ({
  type: 'ReserveStock',
  data: { checkoutId, lines, ttlMs: TTL },
  metadata: { now },
});
const release = (checkoutId: string): CheckoutCommand => ({
  type: 'ReleaseReservation',
  data: { checkoutId, reason: 'payment declined' },
});
const commit = (checkoutId: string): CheckoutCommand => ({ type: 'CommitReservation', data: { checkoutId } });
const expire = (checkoutId: string, at: string): CheckoutCommand => ({
  type: 'ExpireReservation',
  data: { checkoutId },
  metadata: { now: new Date(at) },
});

/** c1 holds 2 LAMP and 1 DESK out of 10 and 5. */
const accepted: CheckoutEvent[] = [
  received('LAMP', 10),
  received('DESK', 5),
  {
    type: 'StockReserved',
    data: { sku: 'LAMP', checkoutId: 'c1', quantity: 2, expiresAt: EXPIRES, onHand: 10, reserved: 2 },
  },
  {
    type: 'StockReserved',
    data: { sku: 'DESK', checkoutId: 'c1', quantity: 1, expiresAt: EXPIRES, onHand: 5, reserved: 1 },
  },
  {
    type: 'ReservationAccepted',
    data: {
      checkoutId: 'c1',
      lines: [
        { sku: 'LAMP', quantity: 2 },
        { sku: 'DESK', quantity: 1 },
      ],
      expiresAt: EXPIRES,
    },
  },
];

describe('the checkout reservation decision', () => {
  it('given enough stock for every line, when a checkout reserves, then every SKU holds its units and the reservation is accepted', () => {
    spec
      .given([received('LAMP', 10), received('DESK', 5)])
      .when(
        reserve('c1', [
          { sku: 'LAMP', quantity: 2 },
          { sku: 'DESK', quantity: 1 },
        ]),
      )
      .then(accepted.slice(2));
  });

  it('given one short line among several, when a checkout reserves, then nothing is held and only the short lines are named', () => {
    spec
      .given([received('LAMP', 2), received('DESK', 5), received('MUG', 1)])
      .when(
        reserve('c1', [
          { sku: 'LAMP', quantity: 3 },
          { sku: 'DESK', quantity: 1 },
          { sku: 'MUG', quantity: 4 },
          { sku: 'GHOST', quantity: 1 },
        ]),
      )
      .then([
        {
          type: 'ReservationRejected',
          data: {
            checkoutId: 'c1',
            shortLines: [
              { sku: 'LAMP', requested: 3, available: 2, reason: 'LAMP: only 2 available, 3 requested' },
              { sku: 'MUG', requested: 4, available: 1, reason: 'MUG: only 1 available, 4 requested' },
              { sku: 'GHOST', requested: 1, available: 0, reason: 'GHOST: unknown SKU' },
            ],
          },
        },
      ]);
  });

  it('given a checkout with an outcome, when it reserves again, then nothing happens', () => {
    spec
      .given(accepted)
      .when(reserve('c1', [{ sku: 'LAMP', quantity: 2 }]))
      .thenNothingHappens();
  });

  it('given lines that repeat a SKU, when a checkout reserves, then it is refused as invalid input', () => {
    spec
      .given([received('LAMP', 10)])
      .when(
        reserve('c1', [
          { sku: 'LAMP', quantity: 1 },
          { sku: 'LAMP', quantity: 1 },
        ]),
      )
      .thenThrows(ValidationError);
  });

  it('given an accepted reservation, when it is released, then every SKU gets its units back', () => {
    spec
      .given(accepted)
      .when(release('c1'))
      .then([
        {
          type: 'StockReleased',
          data: { sku: 'LAMP', checkoutId: 'c1', quantity: 2, reason: 'released', onHand: 10, reserved: 0 },
        },
        {
          type: 'StockReleased',
          data: { sku: 'DESK', checkoutId: 'c1', quantity: 1, reason: 'released', onHand: 5, reserved: 0 },
        },
        { type: 'ReservationReleased', data: { checkoutId: 'c1', reason: 'payment declined' } },
      ]);
  });

  it('given an accepted reservation, when it is committed, then the units are sold', () => {
    spec
      .given(accepted)
      .when(commit('c1'))
      .then([
        { type: 'StockCommitted', data: { sku: 'LAMP', checkoutId: 'c1', quantity: 2, onHand: 8, reserved: 0 } },
        { type: 'StockCommitted', data: { sku: 'DESK', checkoutId: 'c1', quantity: 1, onHand: 4, reserved: 0 } },
        { type: 'ReservationCommitted', data: { checkoutId: 'c1' } },
      ]);
  });

  it('given a committed reservation, when it is released, expired or committed again, then nothing happens', () => {
    const committed = [...accepted, { type: 'ReservationCommitted', data: { checkoutId: 'c1' } } as CheckoutEvent];
    spec.given(committed).when(release('c1')).thenNothingHappens();
    spec.given(committed).when(expire('c1', '2026-01-02T00:00:00.000Z')).thenNothingHappens();
    spec.given(committed).when(commit('c1')).thenNothingHappens();
  });

  it('given an accepted reservation, when expiry runs before expiresAt, then nothing happens', () => {
    spec.given(accepted).when(expire('c1', '2026-01-01T00:14:59.999Z')).thenNothingHappens();
  });

  it('given an accepted reservation, when expiry runs at expiresAt, then the units come back as expired', () => {
    spec
      .given(accepted)
      .when(expire('c1', EXPIRES))
      .thenState((state) => {
        expect(state.reservation.status).toBe('expired');
        expect(state.stocks['LAMP']).toMatchObject({ reserved: 0, reservations: {} });
      });
  });

  it('given an expired reservation, when it is committed, then the commit is refused, once', () => {
    const expired = [...accepted, ...decideCheckout(expire('c1', EXPIRES), stateAfter(accepted))];
    spec
      .given(expired)
      .when(commit('c1'))
      .then([
        {
          type: 'ReservationCommitRefused',
          data: { checkoutId: 'c1', reason: `reservation for checkout c1 expired at ${EXPIRES}` },
        },
      ]);
    spec
      .given([...expired, { type: 'ReservationCommitRefused', data: { checkoutId: 'c1', reason: 'x' } }])
      .when(commit('c1'))
      .thenNothingHappens();
  });

  it('given a released reservation, when it is released again, then nothing happens', () => {
    spec
      .given([...accepted, { type: 'ReservationReleased', data: { checkoutId: 'c1', reason: 'x' } }])
      .when(release('c1'))
      .thenNothingHappens();
  });

  it('given no reservation, when it is released, then the release is recorded and a late reserve takes nothing', () => {
    const tombstone: CheckoutEvent = {
      type: 'ReservationReleased',
      data: { checkoutId: 'c1', reason: 'payment declined' },
    };
    spec
      .given([received('LAMP', 10)])
      .when(release('c1'))
      .then([tombstone]);
    spec
      .given([received('LAMP', 10), tombstone])
      .when(reserve('c1', [{ sku: 'LAMP', quantity: 1 }]))
      .thenNothingHappens();
  });

  it('given no reservation, when it is committed or expired, then a commit is refused and an expiry does nothing', () => {
    spec
      .given([])
      .when(commit('c1'))
      .then([
        { type: 'ReservationCommitRefused', data: { checkoutId: 'c1', reason: 'checkout c1 has no reservation' } },
      ]);
    spec.given([]).when(expire('c1', EXPIRES)).thenNothingHappens();
  });

  it('given a rejected reservation, when it is committed, then the refusal repeats the short lines', () => {
    spec
      .given([
        {
          type: 'ReservationRejected',
          data: { checkoutId: 'c1', shortLines: [{ sku: 'X', requested: 1, available: 0, reason: 'X: unknown SKU' }] },
        },
      ])
      .when(commit('c1'))
      .then([
        {
          type: 'ReservationCommitRefused',
          data: { checkoutId: 'c1', reason: 'reservation for checkout c1 was rejected: X: unknown SKU' },
        },
      ]);
  });

  it('given an accepted reservation, then a release touches the held SKUs and a reserve its own lines', () => {
    expect(skusTouchedBy(release('c1'), stateAfter(accepted).reservation)).toEqual(['LAMP', 'DESK']);
    expect(skusTouchedBy(reserve('c2', [{ sku: 'MUG', quantity: 1 }]), stateAfter([]).reservation)).toEqual(['MUG']);
  });
});

function stateAfter(events: readonly CheckoutEvent[]) {
  return events.reduce(checkoutDecider.evolve, checkoutDecider.initialState());
}

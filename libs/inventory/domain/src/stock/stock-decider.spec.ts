import { NotFoundError, ValidationError } from '@stockade/kernel';
import { deciderSpec } from '@stockade/kernel/testing';
import { StockAdjustmentRefused, InsufficientStock } from './stock-errors';
import { stockDecider } from './stock-decider';
import type { StockEvent } from './stock-events';

const spec = deciderSpec(stockDecider);
const received = (quantity: number, onHand = quantity, reserved = 0): StockEvent => ({
  type: 'StockReceived',
  data: { sku: 'LAMP', quantity, onHand, reserved },
});
const reserved = (checkoutId: string, quantity: number, onHand: number, reservedAfter: number): StockEvent => ({
  type: 'StockReserved',
  data: { sku: 'LAMP', checkoutId, quantity, expiresAt: '2026-01-01T00:15:00.000Z', onHand, reserved: reservedAfter },
});

describe('the Stock aggregate', () => {
  it('given no stock, when goods are received, then StockReceived carries the levels after it', () => {
    spec
      .given([])
      .when({ type: 'ReceiveStock', data: { sku: 'LAMP', quantity: 10 } })
      .then([received(10)]);
  });

  it('given stock, when more is received, then onHand adds up', () => {
    spec
      .given([received(10)])
      .when({ type: 'ReceiveStock', data: { sku: 'LAMP', quantity: 5 } })
      .then([received(5, 15)]);
  });

  it('given any stock, when a receipt of 0 units arrives, then it is refused as invalid', () => {
    spec
      .given([])
      .when({ type: 'ReceiveStock', data: { sku: 'LAMP', quantity: 0 } })
      .thenThrows(ValidationError);
  });

  it('given an unknown SKU, when it is adjusted, then it is not found', () => {
    spec
      .given([])
      .when({ type: 'AdjustStock', data: { sku: 'LAMP', delta: 3, reason: 'found' } })
      .thenThrows(NotFoundError);
  });

  it('given 10 on hand, when 4 are written off, then StockAdjusted leaves 6 on hand', () => {
    spec
      .given([received(10)])
      .when({ type: 'AdjustStock', data: { sku: 'LAMP', delta: -4, reason: 'damaged' } })
      .then([{ type: 'StockAdjusted', data: { sku: 'LAMP', delta: -4, reason: 'damaged', onHand: 6, reserved: 0 } }]);
  });

  it('given 10 on hand with 7 reserved, when 4 are written off, then it is refused because available would be negative', () => {
    const when = spec
      .given([received(10), reserved('c1', 7, 10, 7)])
      .when({ type: 'AdjustStock', data: { sku: 'LAMP', delta: -4, reason: 'damaged' } });
    when.thenThrows(StockAdjustmentRefused);
    when.thenThrows(
      'LAMP: adjusting by -4 would leave 6 on hand with 7 reserved (available 3, at most 3 can be removed)',
    );
  });

  it('given 10 on hand with 7 reserved, when exactly 3 are written off, then it is allowed', () => {
    spec
      .given([received(10), reserved('c1', 7, 10, 7)])
      .when({ type: 'AdjustStock', data: { sku: 'LAMP', delta: -3, reason: 'damaged' } })
      .thenState((state) => expect(state.onHand - state.reserved).toBe(0));
  });

  it('given 3 available, when 4 units are reserved, then the invariant refuses it', () => {
    spec
      .given([received(3)])
      .when({
        type: 'ReserveUnits',
        data: { sku: 'LAMP', checkoutId: 'c1', quantity: 4, expiresAt: '2026-01-01T00:15:00.000Z' },
      })
      .thenThrows(InsufficientStock);
  });

  it('given units held for a checkout, when the same checkout reserves again, then nothing happens', () => {
    spec
      .given([received(10), reserved('c1', 2, 10, 2)])
      .when({
        type: 'ReserveUnits',
        data: { sku: 'LAMP', checkoutId: 'c1', quantity: 2, expiresAt: '2026-01-01T00:15:00.000Z' },
      })
      .thenNothingHappens();
  });

  it('given units held for a checkout, when they are released, then reserved drops and the hold is gone', () => {
    spec
      .given([received(10), reserved('c1', 2, 10, 2)])
      .when({ type: 'ReleaseUnits', data: { sku: 'LAMP', checkoutId: 'c1', reason: 'expired' } })
      .then([
        {
          type: 'StockReleased',
          data: { sku: 'LAMP', checkoutId: 'c1', quantity: 2, reason: 'expired', onHand: 10, reserved: 0 },
        },
      ]);
  });

  it('given units held for a checkout, when they are committed, then they leave onHand and reserved', () => {
    spec
      .given([received(10), reserved('c1', 2, 10, 2)])
      .when({ type: 'CommitUnits', data: { sku: 'LAMP', checkoutId: 'c1' } })
      .thenState((state) => expect(state).toMatchObject({ onHand: 8, reserved: 0, reservations: {} }));
  });

  it('given no hold for a checkout, when it is released or committed, then nothing happens', () => {
    spec
      .given([received(10)])
      .when({ type: 'ReleaseUnits', data: { sku: 'LAMP', checkoutId: 'c9', reason: 'released' } })
      .thenNothingHappens();
    spec
      .given([received(10)])
      .when({ type: 'CommitUnits', data: { sku: 'LAMP', checkoutId: 'c9' } })
      .thenNothingHappens();
  });
});

import { ValidationError } from '@stockade/kernel';
import { deciderSpec } from '@stockade/kernel/testing';
import { checkoutDecider } from '../checkout/checkout-decider';
import { stockDecider, StockCommand } from './stock-decider';
import type { StockEvent } from './stock-events';

const spec = deciderSpec(stockDecider);
const LAMP = { name: 'Desk lamp', unitPrice: 39.5 };
const list = (listing: { name: string; unitPrice: number }): StockCommand => ({
  type: 'SetListing',
  data: { sku: 'LAMP', ...listing },
});
const listed = (listing = LAMP, onHand = 0, reserved = 0): StockEvent => ({
  type: 'ProductListed',
  data: { sku: 'LAMP', listing, onHand, reserved },
});
const refusalOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};
const received = (quantity: number, onHand = quantity): StockEvent => ({
  type: 'StockReceived',
  data: { sku: 'LAMP', quantity, onHand, reserved: 0 },
});

describe('listing a SKU (the catalog on the Stock aggregate)', () => {
  it('given a SKU that never received stock, when an operator lists it, then ProductListed records the listing and the SKU exists with nothing available', () => {
    spec.given([]).when(list(LAMP)).then([listed()]);
    spec
      .given([])
      .when(list(LAMP))
      .thenState((state) =>
        expect(state).toMatchObject({ sku: 'LAMP', exists: true, onHand: 0, reserved: 0, listing: LAMP }),
      );
  });

  it('given stock, when it is listed, then ProductListed keeps the levels', () => {
    spec
      .given([received(10)])
      .when(list(LAMP))
      .then([listed(LAMP, 10)]);
  });

  it('given a listed SKU, when the same listing comes again, then nothing happens', () => {
    spec
      .given([received(10), listed(LAMP, 10)])
      .when(list(LAMP))
      .thenNothingHappens();
  });

  it('given a listed SKU, when its price changes, then ProductListed records the new price', () => {
    spec
      .given([received(10), listed(LAMP, 10)])
      .when(list({ name: 'Desk lamp', unitPrice: 42 }))
      .then([listed({ name: 'Desk lamp', unitPrice: 42 }, 10)]);
  });

  it.each<[string, { name: string; unitPrice: number }, string]>([
    ['a price of 0', { name: 'Desk lamp', unitPrice: 0 }, 'unitPrice'],
    ['a negative price', { name: 'Desk lamp', unitPrice: -1 }, 'unitPrice'],
    ['a price of three decimals', { name: 'Desk lamp', unitPrice: 0.125 }, 'unitPrice'],
    ['a blank name', { name: ' ', unitPrice: 5 }, 'name'],
    ['a name with a control character', { name: 'Desk\u0007lamp', unitPrice: 5 }, 'name'],
  ])('given %s, when listed, then it is refused naming the field and nothing is recorded', (_case, listing, field) => {
    const state = [received(10)].reduce(stockDecider.evolve, stockDecider.initialState());
    const refusal = refusalOf(() => stockDecider.decide(list(listing), state));
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues.map((issue) => issue.field)).toEqual([field]);
  });

  it('given a listed SKU, when stock is received, adjusted, reserved, released and committed, then every event carries the listing (the latest event tells the price)', () => {
    let state = [received(10), listed(LAMP, 10)].reduce(stockDecider.evolve, stockDecider.initialState());
    const commands: StockCommand[] = [
      { type: 'ReceiveStock', data: { sku: 'LAMP', quantity: 5 } },
      { type: 'AdjustStock', data: { sku: 'LAMP', delta: -1, reason: 'damaged' } },
      {
        type: 'ReserveUnits',
        data: { sku: 'LAMP', checkoutId: 'c1', quantity: 2, expiresAt: '2026-01-01T00:15:00.000Z' },
      },
      {
        type: 'ReserveUnits',
        data: { sku: 'LAMP', checkoutId: 'c2', quantity: 1, expiresAt: '2026-01-01T00:15:00.000Z' },
      },
      { type: 'ReleaseUnits', data: { sku: 'LAMP', checkoutId: 'c1', reason: 'released' } },
      { type: 'CommitUnits', data: { sku: 'LAMP', checkoutId: 'c2' } },
      { type: 'ConfigureStock', data: { sku: 'LAMP', lowStockThreshold: 20, reorderPoint: 20, reorderQuantity: 5 } },
    ];
    const events: StockEvent[] = [];
    for (const command of commands) {
      const decided = stockDecider.decide(command, state);
      events.push(...decided);
      state = decided.reduce(stockDecider.evolve, state);
    }
    expect(events.map((event) => event.type)).toEqual([
      'StockReceived',
      'StockAdjusted',
      'StockReserved',
      'StockReserved',
      'StockReleased',
      'StockCommitted',
      'StockSettingsChanged',
      'LowStockAlertRaised',
      'ReorderRequested',
    ]);
    for (const event of events) expect(event.data.listing).toEqual(LAMP);
  });

  it('given a listed SKU, when a checkout reserves it, then the stock event of the reservation carries the listing', () => {
    const stock = [received(10), listed(LAMP, 10)].reduce(stockDecider.evolve, stockDecider.initialState());
    const events = checkoutDecider.decide(
      {
        type: 'ReserveStock',
        data: { checkoutId: 'c1', lines: [{ sku: 'LAMP', quantity: 1 }], ttlMs: 60_000 },
        metadata: { now: new Date('2026-01-01T00:00:00.000Z') },
      },
      { reservation: checkoutDecider.initialState().reservation, stocks: { LAMP: stock } },
    );
    expect(events[0]).toMatchObject({ type: 'StockReserved', data: { listing: LAMP, reserved: 1 } });
  });

  it('given a SKU never listed, when stock moves, then its events carry no listing (as in every stream written before listings)', () => {
    spec
      .given([received(10)])
      .when({ type: 'AdjustStock', data: { sku: 'LAMP', delta: 1, reason: 'found' } })
      .then([{ type: 'StockAdjusted', data: { sku: 'LAMP', delta: 1, reason: 'found', onHand: 11, reserved: 0 } }]);
  });
});

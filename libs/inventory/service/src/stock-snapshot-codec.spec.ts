import { initialReplenishment, StockState } from '@stockade/inventory-domain';
import { stockSnapshotCodec } from './stock-snapshot-codec';

const aStock = (): StockState => ({ sku: 'LAMP', exists: true, onHand: 10, reserved: 3, reservations: { 'checkout-1': 2, 'checkout-2': 1 }, replenishment: initialReplenishment() });

describe('stock snapshot codec (schema 1)', () => {
  it('given a stock state, when encoded to JSON and decoded, then it is the same state', () => {
    const json = JSON.stringify(stockSnapshotCodec.encode(aStock()));

    expect(stockSnapshotCodec.decode(JSON.parse(json))).toEqual(aStock());
  });

  it('given an encoded state, when the writer then changes its holds in place, then the encoding keeps the holds it had', () => {
    const state = aStock();
    const encoded = stockSnapshotCodec.encode(state);

    (state.reservations as Record<string, number>)['checkout-3'] = 4;
    delete (state.reservations as Record<string, number>)['checkout-1'];

    expect(encoded).toMatchObject({ reservations: { 'checkout-1': 2, 'checkout-2': 1 }, replenishment: initialReplenishment() });
    expect(Object.keys((encoded as { reservations: object }).reservations)).toEqual(['checkout-1', 'checkout-2']);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a missing sku', { ...aStock(), sku: undefined }],
    ['a level that is not a whole number', { ...aStock(), onHand: 1.5 }],
    ['a level given as text', { ...aStock(), reserved: '3' }],
    ['holds that are a list', { ...aStock(), reservations: [2, 1] }],
    ['a hold that is not a number', { ...aStock(), reservations: { 'checkout-1': 'two' } }],
  ])('given %s where a stock state should be, when decoded, then it is refused (undefined)', (_case, data) => {
    expect(stockSnapshotCodec.decode(data)).toBeUndefined();
  });
});

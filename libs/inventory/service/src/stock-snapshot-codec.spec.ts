import { initialReplenishment, StockState } from '@stockade/inventory-domain';
import { STOCK_SNAPSHOT_SCHEMA_VERSION, stockSnapshotCodec } from './stock-snapshot-codec';

const aStock = (): StockState => ({
  sku: 'LAMP',
  exists: true,
  onHand: 10,
  reserved: 3,
  reservations: { 'checkout-1': 2, 'checkout-2': 1 },
  replenishment: initialReplenishment(),
});
const aListedStock = (): StockState => ({ ...aStock(), listing: { name: 'Desk lamp', unitPrice: 39.5 } });
const roundTrip = (state: StockState) =>
  stockSnapshotCodec.decode(
    JSON.parse(JSON.stringify(stockSnapshotCodec.encode(state))),
    STOCK_SNAPSHOT_SCHEMA_VERSION,
  );

describe('stock snapshot codec (schema 3)', () => {
  it('given a stock state, when encoded to JSON and decoded, then it is the same state', () => {
    expect(roundTrip(aStock())).toEqual(aStock());
  });

  it('given a listed stock state, when encoded to JSON and decoded, then its listing comes back too', () => {
    expect(roundTrip(aListedStock())).toEqual(aListedStock());
  });

  it('given a schema-2 snapshot (written before listings), when decoded, then it is the state without a listing', () => {
    const { sku, exists, onHand, reserved, reservations, replenishment } = aStock();
    const writtenByTheLastRelease = JSON.parse(
      JSON.stringify({ sku, exists, onHand, reserved, reservations, replenishment }),
    );

    expect(stockSnapshotCodec.decode(writtenByTheLastRelease, 2)).toEqual(aStock());
  });

  it.each([1, STOCK_SNAPSHOT_SCHEMA_VERSION + 1])(
    'given a snapshot of schema %p, when decoded, then it is refused (the stream is folded instead)',
    (schemaVersion) => {
      expect(stockSnapshotCodec.decode(stockSnapshotCodec.encode(aStock()), schemaVersion)).toBeUndefined();
    },
  );

  it('given an encoded state, when the writer then changes its holds in place, then the encoding keeps the holds it had', () => {
    const state = aStock();
    const encoded = stockSnapshotCodec.encode(state);

    (state.reservations as Record<string, number>)['checkout-3'] = 4;
    delete (state.reservations as Record<string, number>)['checkout-1'];

    expect(encoded).toMatchObject({
      reservations: { 'checkout-1': 2, 'checkout-2': 1 },
      replenishment: initialReplenishment(),
    });
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
    ['a listing without a price', { ...aStock(), listing: { name: 'Desk lamp' } }],
  ])('given %s where a stock state should be, when decoded, then it is refused (undefined)', (_case, data) => {
    expect(stockSnapshotCodec.decode(data, STOCK_SNAPSHOT_SCHEMA_VERSION)).toBeUndefined();
  });
});

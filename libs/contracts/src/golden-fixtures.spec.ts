import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckoutRequest } from './http';
import { MESSAGE_CATALOG } from './message-catalog';

const fixtures = join(__dirname, '..', 'fixtures');
const read = (file: string): unknown => JSON.parse(readFileSync(join(fixtures, file), 'utf8'));

describe('golden message fixtures', () => {
  it.each(Object.keys(MESSAGE_CATALOG))('given the %s fixture, then its schema accepts it unchanged', (type) => {
    const fixture = read(`${type}.json`) as { type: string };
    expect(fixture.type).toBe(type);
    expect(MESSAGE_CATALOG[type]?.parse(fixture)).toEqual(fixture);
  });

  it('given the fixtures folder, then every fixture belongs to a catalogued type (no orphan versions)', () => {
    const types = readdirSync(fixtures)
      .filter((file) => file.endsWith('.json') && file !== 'checkout-request-body.json')
      .map((file) => file.replace(/\.json$/, ''));
    expect(types.sort()).toEqual(Object.keys(MESSAGE_CATALOG).sort());
  });

  it('given the bare checkout body an upstream publishes on checkout.requested, then it is a valid POST /checkouts body', () => {
    expect(CheckoutRequest.parse(read('checkout-request-body.json'))).toEqual(read('checkout-request-body.json'));
  });

  it('given a StockLevelChanged.v1 of a SKU not listed (or of a release before listings), then it still parses without name and price', () => {
    const { data } = read('StockLevelChanged.v1.json') as { data: Record<string, unknown> };
    const { name, unitPrice, ...levels } = data;
    expect([name, unitPrice]).toEqual(['Desk lamp', 39.5]);
    const before = { ...(read('StockLevelChanged.v1.json') as object), data: levels };
    expect(MESSAGE_CATALOG['StockLevelChanged.v1']?.parse(before)).toEqual(before);
  });

  it('given a fixture with a field removed, then the schema refuses it (the check can fail)', () => {
    const { data, ...withoutData } = read('StockReserved.v1.json') as { data: unknown };
    expect(data).toBeDefined();
    expect(MESSAGE_CATALOG['StockReserved.v1']?.safeParse(withoutData).success).toBe(false);
  });
});

describe('payment tokens in messages (ADR 0021)', () => {
  const authorize = read('AuthorizePayment.v1.json') as { data: Record<string, unknown> };
  const checkout = read('CheckoutRequested.v1.json') as { data: Record<string, unknown> };

  it('given an AuthorizePayment.v1 written before ADR 0021 (a payment token, no reference), then it is still read', () => {
    const { paymentRef: _ref, ...data } = authorize.data;
    expect(
      MESSAGE_CATALOG['AuthorizePayment.v1']?.safeParse({ ...authorize, data: { ...data, paymentToken: 'tok_visa' } })
        .success,
    ).toBe(true);
  });

  it('given a CheckoutRequested.v1 with a payment reference in place of the token, then it is accepted; with both, then refused naming paymentRef', () => {
    const { paymentToken: _token, ...data } = checkout.data;
    const schema = MESSAGE_CATALOG['CheckoutRequested.v1'];
    expect(schema?.safeParse({ ...checkout, data: { ...data, paymentRef: 'sim:approve:abc' } }).success).toBe(true);
    const both = schema?.safeParse({ ...checkout, data: { ...checkout.data, paymentRef: 'sim:approve:abc' } });
    expect(both?.success).toBe(false);
    expect(both?.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['data.paymentRef']);
  });

  it('given a bare POST /checkouts body with a payment reference, then it is refused (callers send tokens; only the gateway issues references)', () => {
    expect(
      CheckoutRequest.safeParse({ ...(read('checkout-request-body.json') as object), paymentRef: 'sim:approve:abc' })
        .success,
    ).toBe(false);
  });
});

import { ValidationError } from '@stockade/kernel';
import { CheckoutRequest, ListingRequest, OrderView, SetCartItemRequest } from './http';
import { OrderCompletedV1 } from './messages';
import { moneyIssue, totalOf } from './money';
import { parseOrThrow } from './validation';

const checkout = (lines: unknown[]) => ({ checkoutId: 'chk-1', customerId: 'alice', lines });
const issuesOf = (run: () => unknown): { field: string; message: string }[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  return [];
};

describe('the money rule', () => {
  it.each([0.01, 1, 9.5, 19.99, 39, 999_999_999.99, 1_000_000_000])('given %p, then it is a price', (amount) => {
    expect(moneyIssue(amount)).toBeUndefined();
  });

  it.each<[number, string]>([
    [0, 'must be more than 0'],
    [-5, 'must be more than 0'],
    [0.001, 'must have at most 2 decimal places'],
    [1e-7, 'must have at most 2 decimal places'],
    [0.1 + 0.2, 'must have at most 2 decimal places'],
    [1_000_000_000.01, 'must be at most 1000000000'],
    [Number.POSITIVE_INFINITY, 'must be a finite number'],
  ])('given %p, then it is refused: %s', (amount, issue) => {
    expect(moneyIssue(amount)).toBe(issue);
  });

  it('given 3 × 0.1 and 19.99 × 3, when totalled, then the sums are exact to the cent (no float drift)', () => {
    expect(totalOf([{ quantity: 3, unitPrice: 0.1 }])).toBe(0.3);
    expect(
      totalOf([
        { quantity: 3, unitPrice: 19.99 },
        { quantity: 1, unitPrice: 0.01 },
      ]),
    ).toBe(59.98);
    expect(totalOf([{ quantity: 3, unitPrice: 0.1 }]).toFixed(2)).toBe('0.30');
  });
});

describe('prices in checkouts', () => {
  it.each<[string, unknown, string]>([
    ['without a price', { sku: 'LAMP', quantity: 1 }, 'is required: a price in major units, e.g. 39.5'],
    ['of 0', { sku: 'LAMP', quantity: 1, unitPrice: 0 }, 'must be more than 0'],
    ['of three decimals', { sku: 'LAMP', quantity: 1, unitPrice: 1.005 }, 'must have at most 2 decimal places'],
    ['priced as text', { sku: 'LAMP', quantity: 1, unitPrice: '39' }, 'must be a number'],
  ])('given a second line %s, then the checkout is refused naming lines.1.unitPrice', (_case, line, message) => {
    const issues = issuesOf(() =>
      parseOrThrow(CheckoutRequest, checkout([{ sku: 'DESK', quantity: 1, unitPrice: 150 }, line])),
    );
    expect(issues).toEqual([{ field: 'lines.1.unitPrice', message }]);
  });

  it('given the most expensive lines the limits allow, when a checkout would total more than can be summed exactly, then it is refused naming lines', () => {
    const lines = Array.from({ length: 100 }, (_, index) => ({
      sku: `SKU-${index}`,
      quantity: 10_000,
      unitPrice: 1_000_000_000,
    }));
    expect(issuesOf(() => parseOrThrow(CheckoutRequest, checkout(lines)))).toEqual([
      { field: 'lines', message: 'must total at most 10000000000000' },
    ]);
  });

  it('given an order stored before the rule (a line of 0 and one of three decimals), then its view and its OrderCompleted.v1 still parse', () => {
    const lines = [
      { sku: 'FREE', quantity: 1, unitPrice: 0 },
      { sku: 'ODD', quantity: 2, unitPrice: 1.005 },
    ];
    expect(
      OrderView.safeParse({ orderId: 'o-1', customerId: 'c', status: 'COMPLETED', lines, reasons: [], total: 2.01 })
        .success,
    ).toBe(true);
    const completed = {
      messageId: 'm-1',
      type: 'OrderCompleted.v1',
      correlationId: 'o-1',
      causationId: 'x',
      occurredAt: '2026-01-01T00:00:00.000Z',
      data: { orderId: 'o-1', customerId: 'c', lines, total: 2.01 },
    };
    expect(OrderCompletedV1.safeParse(completed).success).toBe(true);
  });
});

describe('what a shopper and an operator may send', () => {
  it('given a cart line with a price, then it is refused naming unitPrice: prices come from the catalog', () => {
    expect(issuesOf(() => parseOrThrow(SetCartItemRequest, { quantity: 1, unitPrice: 0.01 }))).toEqual([
      { field: 'unitPrice', message: 'is not accepted: prices come from the catalog' },
    ]);
    expect(parseOrThrow(SetCartItemRequest, { quantity: 2 })).toEqual({ quantity: 2 });
  });

  it.each<[string, unknown, string]>([
    ['a price of 0', { name: 'Desk lamp', unitPrice: 0 }, 'unitPrice'],
    ['no price', { name: 'Desk lamp' }, 'unitPrice'],
    ['a blank name', { name: '   ', unitPrice: 39 }, 'name'],
    ['a name with a line break', { name: 'Desk\nlamp', unitPrice: 39 }, 'name'],
  ])('given a listing with %s, then it is refused naming the field', (_case, body, field) => {
    expect(issuesOf(() => parseOrThrow(ListingRequest, body)).map((issue) => issue.field)).toEqual([field]);
  });

  it('given a listing with spaces around its name, then the name is trimmed', () => {
    expect(parseOrThrow(ListingRequest, { name: '  Desk lamp ', unitPrice: 39.5 })).toEqual({
      name: 'Desk lamp',
      unitPrice: 39.5,
    });
  });
});

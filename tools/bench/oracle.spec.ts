import type { CheckoutRequest } from '@stockade/contracts';
import type { Decision, Observation, StockReading } from './observation';
import { checkRun } from './oracle';

const order = (id: string, ...lines: [string, number][]): CheckoutRequest => ({
  checkoutId: id,
  customerId: 'c',
  lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
});
const decision = (checkoutId: string, status: Decision['status'], decisionId = `${checkoutId}-outcome`): Decision => ({
  checkoutId,
  status,
  decisionId,
});
const observed = (decisions: Decision[], stock: Record<string, StockReading>): Observation => ({
  decisions,
  stockAfter: new Map(Object.entries(stock)),
});

// A flash sale: three buyers of one unit each, stock for two.
const flashSale = {
  stock: new Map([['HOT', 2]]),
  checkouts: [order('a', ['HOT', 1]), order('b', ['HOT', 1]), order('c', ['HOT', 1])],
};
const soldOut = { HOT: { onHand: 0, reserved: 0 } };

describe('checkRun (the oracle)', () => {
  it('given two sold and one refused with the stock at zero, when checked, then the run passes', () => {
    const verdict = checkRun(
      flashSale,
      observed([decision('a', 'COMPLETED'), decision('b', 'REJECTED'), decision('c', 'COMPLETED')], soldOut),
    );
    expect(verdict).toMatchObject({ pass: true, failures: [], completed: 2, refused: 1, soldUnits: 2 });
  });

  it('given a complete run but a reader that says outcomes were deleted before it read them, when checked, then it fails naming that', () => {
    const verdict = checkRun(flashSale, {
      ...observed([decision('a', 'COMPLETED'), decision('b', 'REJECTED'), decision('c', 'COMPLETED')], soldOut),
      problems: ['2 outcomes on order.events were deleted by retention before the bench read them'],
    });
    expect(verdict.pass).toBe(false);
    expect(verdict.failures).toEqual([
      '2 outcomes on order.events were deleted by retention before the bench read them',
    ]);
  });

  it('given three sold of a stock of two, when checked, then it fails as an oversell', () => {
    const verdict = checkRun(
      flashSale,
      observed([decision('a', 'COMPLETED'), decision('b', 'COMPLETED'), decision('c', 'COMPLETED')], {
        HOT: { onHand: -1, reserved: 0 },
      }),
    );
    expect(verdict.pass).toBe(false);
    expect(verdict.failures.join('\n')).toMatch(/HOT: oversold, 3 sold of 2/);
    expect(verdict.failures.join('\n')).toMatch(/negative stock/);
  });

  it('given a checkout without a decision, when checked, then it fails naming it as never decided', () => {
    const verdict = checkRun(flashSale, observed([decision('a', 'COMPLETED'), decision('b', 'COMPLETED')], soldOut));
    expect(verdict.pass).toBe(false);
    expect(verdict.failures).toContain('1 checkouts never decided (e.g. c)');
  });

  it('given a checkout with two different decisions, when checked, then it fails as decided more than once', () => {
    const verdict = checkRun(
      flashSale,
      observed(
        [
          decision('a', 'COMPLETED'),
          decision('b', 'REJECTED'),
          decision('b', 'COMPLETED', 'b-second'),
          decision('c', 'COMPLETED'),
        ],
        soldOut,
      ),
    );
    expect(verdict.pass).toBe(false);
    expect(verdict.failures.join('\n')).toMatch(/1 checkouts decided more than once \(e\.g\. b\)/);
  });

  it('given the same decision delivered twice (at-least-once), when checked, then it counts once and the run passes', () => {
    const verdict = checkRun(
      flashSale,
      observed(
        [decision('a', 'COMPLETED'), decision('a', 'COMPLETED'), decision('b', 'REJECTED'), decision('c', 'COMPLETED')],
        soldOut,
      ),
    );
    expect(verdict.pass).toBe(true);
  });

  it('given a duplicate delivery that took stock a second time, when checked, then it fails: taken differs from sold', () => {
    const workload = { stock: new Map([['A', 5]]), checkouts: [order('x', ['A', 2])] };
    const verdict = checkRun(workload, observed([decision('x', 'COMPLETED')], { A: { onHand: 1, reserved: 0 } }));
    expect(verdict.pass).toBe(false);
    expect(verdict.failures).toContain('A: 4 units taken from stock, but the completed checkouts bought 2');
  });

  it('given a single-unit sell-out where a buyer was refused although stock remained, when checked, then it fails: sold is not min(demand, stock)', () => {
    const verdict = checkRun(
      flashSale,
      observed([decision('a', 'COMPLETED'), decision('b', 'REJECTED'), decision('c', 'REJECTED')], {
        HOT: { onHand: 1, reserved: 0 },
      }),
    );
    expect(verdict.pass).toBe(false);
    expect(verdict.failures).toContain('HOT: 1 sold, expected min(demand, stock) = 2');
  });

  it('given lines of several units on a short SKU, when fewer than the stock sold, then no exact figure is required (it depends on the arrival order)', () => {
    const workload = { stock: new Map([['A', 3]]), checkouts: [order('x', ['A', 2]), order('y', ['A', 2])] };
    expect(
      checkRun(
        workload,
        observed([decision('x', 'COMPLETED'), decision('y', 'REJECTED')], { A: { onHand: 1, reserved: 0 } }),
      ).pass,
    ).toBe(true);
  });

  it('given units still reserved or a SKU without a reading, when checked, then it fails', () => {
    const workload = {
      stock: new Map([
        ['A', 3],
        ['B', 1],
      ]),
      checkouts: [order('x', ['A', 1])],
    };
    const verdict = checkRun(workload, observed([decision('x', 'COMPLETED')], { A: { onHand: 2, reserved: 1 } }));
    expect(verdict.failures).toEqual(
      expect.arrayContaining([
        'A: 1 units still reserved with every checkout decided',
        'B: no stock reading after the run',
      ]),
    );
  });

  it('given a decision for a checkout never sent, when checked, then it fails', () => {
    const verdict = checkRun(
      flashSale,
      observed(
        [
          decision('a', 'COMPLETED'),
          decision('b', 'REJECTED'),
          decision('c', 'COMPLETED'),
          decision('zz', 'COMPLETED'),
        ],
        soldOut,
      ),
    );
    expect(verdict.failures).toContain('1 decisions for checkouts never sent (e.g. zz)');
  });
});

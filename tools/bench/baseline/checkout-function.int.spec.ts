import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { CheckoutRequest } from '@stockade/contracts';
import { checkRun } from '../oracle';
import { buildWorkload, WorkloadName } from '../workloads/workloads';
import { BaselineCheckoutKind, checkoutOf } from './baseline-checkout';
import {
  baselinePool,
  BaselineTables,
  baselineTables,
  createBaselineTables,
  dropBaselineTables,
  openAll,
  readBaselineState,
} from './baseline-store';
import { decideWithFunction } from './checkout-function';

jest.setTimeout(120_000);

const POSTGRES_URL = process.env['STOCKADE_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const order = (id: string, ...lines: [string, number][]): CheckoutRequest => ({
  checkoutId: id,
  customerId: 'c',
  lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 1 })),
});

/** A baseline run of its own on the real PostgreSQL: a random schema, a pool of 8, dropped afterwards. */
async function baselineRun(
  stock: ReadonlyMap<string, number>,
): Promise<{ pool: Pool; tables: BaselineTables; end: () => Promise<void> }> {
  const tables = baselineTables(`t${randomUUID().slice(0, 8)}`);
  const pool = baselinePool(POSTGRES_URL, {
    applicationName: 'bench-baseline-test',
    connections: 8,
    synchronousCommit: false,
  });
  await createBaselineTables(pool, tables, stock);
  return { pool, tables, end: async () => (await dropBaselineTables(pool, tables), await pool.end()) };
}

describe('the one-round-trip checkout function (the strong baseline) on PostgreSQL', () => {
  it('given 2 units and 40 buyers of 1 at once, when they check out, then exactly 2 complete, the rest are refused and the stock ends at 0', async () => {
    const run = await baselineRun(new Map([['HOT', 2]]));
    try {
      const decisions = await Promise.all(
        Array.from({ length: 40 }, (_, i) => decideWithFunction(run.pool, run.tables, order(`b${i}`, ['HOT', 1]))),
      );

      expect(decisions.filter((d) => d.status === 'COMPLETED')).toHaveLength(2);
      expect(decisions.filter((d) => d.status === 'REJECTED')).toHaveLength(38);
      expect(decisions.every((d) => !d.repeated)).toBe(true);
      expect((await readBaselineState(run.pool, run.tables)).stockAfter.get('HOT')).toEqual({ onHand: 0, reserved: 0 });
    } finally {
      await run.end();
    }
  });

  it('given a checkout with one short line and one unknown SKU, when it checks out, then it is refused and no line takes stock', async () => {
    const run = await baselineRun(
      new Map([
        ['A', 5],
        ['B', 1],
      ]),
    );
    try {
      const short = await decideWithFunction(run.pool, run.tables, order('short', ['A', 2], ['B', 3]));
      const unknown = await decideWithFunction(run.pool, run.tables, order('unknown', ['A', 1], ['GHOST', 1]));
      const fits = await decideWithFunction(run.pool, run.tables, order('fits', ['B', 1], ['A', 2], ['A', 1]));

      expect([short.status, unknown.status, fits.status]).toEqual(['REJECTED', 'REJECTED', 'COMPLETED']);
      const state = await readBaselineState(run.pool, run.tables);
      expect(state.stockAfter.get('A')).toEqual({ onHand: 2, reserved: 0 });
      expect(state.stockAfter.get('B')).toEqual({ onHand: 0, reserved: 0 });
      expect(new Map(state.decisions.map((d) => [d.checkoutId, d.status]))).toEqual(
        new Map([
          ['short', 'REJECTED'],
          ['unknown', 'REJECTED'],
          ['fits', 'COMPLETED'],
        ]),
      );
    } finally {
      await run.end();
    }
  });

  it('given one checkout delivered four times, three at once and one later, then it is decided once, every delivery gets that decision and stock is taken once', async () => {
    const run = await baselineRun(new Map([['A', 10]]));
    try {
      const checkout = order('dup', ['A', 3]);
      const concurrent = await Promise.all([1, 2, 3].map(() => decideWithFunction(run.pool, run.tables, checkout)));
      const later = await decideWithFunction(run.pool, run.tables, checkout);

      expect([...concurrent, later].map((d) => d.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
      expect([...concurrent, later].filter((d) => !d.repeated)).toHaveLength(1);
      expect((await readBaselineState(run.pool, run.tables)).stockAfter.get('A')).toEqual({ onHand: 7, reserved: 0 });
    } finally {
      await run.end();
    }
  });

  it('given 200 checkouts over two SKUs, their lines in opposite orders, when they all run at once, then none deadlocks and every unit is accounted for', async () => {
    const run = await baselineRun(
      new Map([
        ['X', 150],
        ['Y', 150],
      ]),
    );
    try {
      const checkouts = Array.from({ length: 200 }, (_, i) =>
        i % 2 ? order(`o${i}`, ['X', 1], ['Y', 1]) : order(`o${i}`, ['Y', 1], ['X', 1]),
      );
      const decisions = await Promise.all(
        checkouts.map((checkout) => decideWithFunction(run.pool, run.tables, checkout)),
      );

      const completed = decisions.filter((d) => d.status === 'COMPLETED').length;
      expect(completed).toBe(150);
      const state = await readBaselineState(run.pool, run.tables);
      expect(state.stockAfter.get('X')).toEqual({ onHand: 0, reserved: 0 });
      expect(state.stockAfter.get('Y')).toEqual({ onHand: 0, reserved: 0 });
    } finally {
      await run.end();
    }
  });

  it('given a checkout, when the function decides it, then its connection is sent one query (one round trip), where the old transaction sends one per statement', async () => {
    const run = await baselineRun(
      new Map([
        ['A', 2],
        ['B', 2],
      ]),
    );
    try {
      const sent = jest.spyOn(Client.prototype, 'query');

      await decideWithFunction(run.pool, run.tables, order('one', ['A', 1], ['B', 1]));
      const byFunction = sent.mock.calls.length;
      sent.mockClear();
      await checkoutOf('transaction')(run.pool, run.tables, order('two', ['A', 1], ['B', 1]));
      const byTransaction = sent.mock.calls.length;

      expect(byFunction).toBe(1);
      expect(byTransaction).toBe(5); // BEGIN, INSERT, two UPDATEs, COMMIT
    } finally {
      jest.restoreAllMocks();
      await run.end();
    }
  });

  it.each(['single-sku', 'hot', 'faulty', 'uniform'] as WorkloadName[])(
    'given the bench workload %s, when the function and the old transaction decide it, then the oracle passes both with the same sales',
    async (name) => {
      const workload = buildWorkload(name, 600, 3);
      const sales = new Map<BaselineCheckoutKind, number>();
      for (const kind of ['function', 'transaction'] as BaselineCheckoutKind[]) {
        const run = await baselineRun(workload.stock);
        try {
          const decide = checkoutOf(kind);
          let next = 0;
          // 16 deliveries in flight, duplicates included, as the bench's closed loop sends them.
          await Promise.all(
            Array.from({ length: 16 }, async () => {
              while (next < workload.deliveries.length)
                await decide(run.pool, run.tables, workload.deliveries[next++] as CheckoutRequest);
            }),
          );
          const verdict = checkRun(workload, await readBaselineState(run.pool, run.tables));
          expect({ kind, failures: verdict.failures }).toEqual({ kind, failures: [] });
          sales.set(kind, verdict.soldUnits);
        } finally {
          await run.end();
        }
      }
      // Where the outcome does not depend on arrival order the oracle already fixed the sales; elsewhere both sell what they can.
      if (name !== 'hot' && name !== 'faulty') expect(sales.get('function')).toBe(sales.get('transaction'));
    },
  );

  it('given a pool asked for synchronous_commit on, when every connection is opened, then each session has it on (and a wrong one is refused)', async () => {
    const on = baselinePool(POSTGRES_URL, {
      applicationName: 'bench-baseline-test',
      connections: 3,
      synchronousCommit: true,
    });
    const off = baselinePool(POSTGRES_URL, {
      applicationName: 'bench-baseline-test',
      connections: 3,
      synchronousCommit: false,
    });
    try {
      await openAll(on, 3, true);
      await openAll(off, 3, false);
      await expect(openAll(off, 3, true)).rejects.toThrow('synchronous_commit=off, not on');
      expect((await on.query('SHOW synchronous_commit')).rows[0]).toEqual({ synchronous_commit: 'on' });
    } finally {
      await on.end();
      await off.end();
    }
  });
});

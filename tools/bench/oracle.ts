import type { CheckoutRequest } from '@stockade/contracts';
import type { Observation } from './observation';
import { demandOf, Workload } from './workloads/workloads';

export interface Verdict {
  readonly pass: boolean;
  readonly failures: readonly string[];
  /** Units sold per SKU (completed checkouts), for the report. */
  readonly soldUnits: number;
  readonly completed: number;
  readonly refused: number;
}

/**
 * Checks a run after it ended, from what the system itself recorded: never negative stock, nothing
 * left reserved, sold ≤ stock per SKU, every checkout decided exactly once (nothing pending, no
 * second decision), the stock taken equal to what the completed checkouts bought (a duplicate
 * delivery counted twice would show here), and where the outcome does not depend on the order of
 * arrival, exactly min(demand, stock) sold.
 */
export function checkRun(workload: Pick<Workload, 'stock' | 'checkouts'>, observation: Observation): Verdict {
  const failures: string[] = [...(observation.problems ?? [])];
  const byId = new Map(workload.checkouts.map((c) => [c.checkoutId, c]));
  const decided = decisionsPerCheckout(observation, byId, failures);

  const pending = workload.checkouts.filter((c) => !decided.has(c.checkoutId));
  if (pending.length)
    failures.push(`${pending.length} checkouts never decided (e.g. ${examples(pending.map((c) => c.checkoutId))})`);
  const twice = [...decided].filter(([, ids]) => ids.size > 1).map(([id]) => id);
  if (twice.length) failures.push(`${twice.length} checkouts decided more than once (e.g. ${examples(twice)})`);

  const completed = workload.checkouts.filter((c) =>
    [...(decided.get(c.checkoutId)?.values() ?? [])].includes('COMPLETED'),
  );
  const sold = demandOf(completed);
  const expectedSales = orderIndependentSales(workload);
  for (const [sku, stock] of workload.stock) {
    const after = observation.stockAfter.get(sku);
    const units = sold.get(sku) ?? 0;
    if (!after) {
      failures.push(`${sku}: no stock reading after the run`);
      continue;
    }
    if (after.onHand < 0 || after.onHand - after.reserved < 0)
      failures.push(`${sku}: negative stock (on hand ${after.onHand}, reserved ${after.reserved})`);
    if (after.reserved !== 0)
      failures.push(`${sku}: ${after.reserved} units still reserved with every checkout decided`);
    if (units > stock) failures.push(`${sku}: oversold, ${units} sold of ${stock}`);
    if (stock - after.onHand !== units)
      failures.push(
        `${sku}: ${stock - after.onHand} units taken from stock, but the completed checkouts bought ${units}`,
      );
    const expected = expectedSales.get(sku);
    if (expected !== undefined && units !== expected)
      failures.push(`${sku}: ${units} sold, expected min(demand, stock) = ${expected}`);
  }
  return {
    pass: failures.length === 0,
    failures,
    soldUnits: [...sold.values()].reduce((sum, n) => sum + n, 0),
    completed: completed.length,
    refused: workload.checkouts.length - completed.length - pending.length,
  };
}

/** Distinct decisions (by decision id) per checkout of the run; a decision for a checkout never sent is a failure. */
function decisionsPerCheckout(
  observation: Observation,
  byId: ReadonlyMap<string, CheckoutRequest>,
  failures: string[],
): Map<string, Map<string, string>> {
  const decided = new Map<string, Map<string, string>>();
  const strangers: string[] = [];
  for (const decision of observation.decisions) {
    if (!byId.has(decision.checkoutId)) {
      strangers.push(decision.checkoutId);
      continue;
    }
    const ids = decided.get(decision.checkoutId) ?? new Map<string, string>();
    ids.set(decision.decisionId, decision.status);
    decided.set(decision.checkoutId, ids);
  }
  if (strangers.length)
    failures.push(`${strangers.length} decisions for checkouts never sent (e.g. ${examples(strangers)})`);
  return decided;
}

/**
 * Units per SKU that must be sold whatever the order of arrival; SKUs where it depends on that
 * order are left out. With stock for all demand, all of it; when short, exactly the stock, but
 * only if every line on the SKU wants one unit and every other SKU of those checkouts has stock
 * for all its demand (so this SKU alone decides them).
 */
function orderIndependentSales(workload: Pick<Workload, 'stock' | 'checkouts'>): Map<string, number> {
  const demand = demandOf(workload.checkouts);
  const ample = (sku: string) => (workload.stock.get(sku) ?? 0) >= (demand.get(sku) ?? 0);
  const decidedAlone = new Map<string, boolean>(); // every checkout on the SKU can fail only on it
  const singleUnits = new Map<string, boolean>(); // every line on the SKU wants one unit
  for (const { lines } of workload.checkouts) {
    for (const line of lines) {
      decidedAlone.set(
        line.sku,
        (decidedAlone.get(line.sku) ?? true) && lines.every((other) => other.sku === line.sku || ample(other.sku)),
      );
      singleUnits.set(line.sku, (singleUnits.get(line.sku) ?? true) && line.quantity === 1);
    }
  }
  const expected = new Map<string, number>();
  for (const [sku, wanted] of demand) {
    if (!decidedAlone.get(sku)) continue;
    const stock = workload.stock.get(sku) ?? 0;
    if (wanted <= stock) expected.set(sku, wanted);
    else if (singleUnits.get(sku)) expected.set(sku, stock);
  }
  return expected;
}

const examples = (ids: readonly string[]) => ids.slice(0, 3).join(', ');

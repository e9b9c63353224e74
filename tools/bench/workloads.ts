import type { CheckoutRequest } from '@stockade/contracts';
import { pickInt, seededRandom } from '../client/seeded-random';

/**
 * The two workloads of the issue: every order wants the same SKU (a flash sale), and a
 * uniform mix of 1–5 lines over a larger catalog. Stock is ample so every checkout can
 * complete: the figure measured is throughput, not the rejection path.
 */
export type WorkloadName = 'hot-sku' | 'uniform-mix';

export interface Workload {
  readonly name: WorkloadName;
  readonly stock: ReadonlyMap<string, number>;
  readonly checkouts: readonly CheckoutRequest[];
}

export function buildWorkload(name: WorkloadName, count: number, seed = 7, runId = Date.now().toString(36)): Workload {
  const random = seededRandom(seed);
  if (name === 'hot-sku') {
    const sku = `HOT-${runId}`;
    return {
      name,
      stock: new Map([[sku, count]]),
      checkouts: Array.from({ length: count }, (_, i) => ({ checkoutId: `b-${runId}-${i}`, customerId: `c${i}`, lines: [{ sku, quantity: 1, unitPrice: 10 }] })),
    };
  }
  const catalog = Array.from({ length: 1000 }, (_, i) => `SKU-${runId}-${i}`);
  const checkouts = Array.from({ length: count }, (_, i) => {
    const lineCount = pickInt(random, 1, 5);
    const skus = new Set<string>();
    while (skus.size < lineCount) skus.add(catalog[pickInt(random, 0, catalog.length - 1)] as string);
    return { checkoutId: `b-${runId}-${i}`, customerId: `c${i}`, lines: [...skus].map((sku) => ({ sku, quantity: pickInt(random, 1, 3), unitPrice: 5 })) };
  });
  const demand = new Map<string, number>();
  checkouts.flatMap((c) => c.lines).forEach((line) => demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity));
  return { name, stock: demand, checkouts };
}

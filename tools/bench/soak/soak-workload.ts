import type { CheckoutRequest } from '@stockade/contracts';
import { pickInt, seededRandom } from '../../client/seeded-random';

const CATALOG_SIZE = 1_000;
/** Most lines of a soak checkout: 1 to 3, one unit each, so a checkout wants 2 units on average. */
const MOST_LINES = 3;

export const soakSku = (index: number) => `SOAK-${String(index).padStart(4, '0')}`;

/**
 * The soak's endless orders, made one at a time when due (30 minutes at 1,000/s is 1.8 million: a
 * list made up front would be the bench's own memory growth): 1–3 lines of one unit each over 1,000
 * SKUs, uniform, deterministic for a seed.
 */
export function soakCheckouts(seed: number, runId: string): (index: number) => CheckoutRequest {
  const random = seededRandom(seed);
  return (index) => {
    const skus = new Set<string>();
    const wanted = pickInt(random, 1, MOST_LINES);
    while (skus.size < wanted) skus.add(soakSku(pickInt(random, 0, CATALOG_SIZE - 1)));
    return {
      checkoutId: `soak-${runId}-${index}`,
      customerId: `c${index % 10_000}`,
      lines: [...skus].map((sku) => ({ sku, quantity: 1, unitPrice: 5 })),
    };
  };
}

/**
 * Stock per SKU for `checkouts`: the expected demand (2 units a checkout over 1,000 SKUs) with half
 * again on top, so the soak measures checkouts that complete rather than a sold-out catalog.
 */
export function soakStock(checkouts: number): Map<string, number> {
  const perSku = Math.ceil(((checkouts * (1 + MOST_LINES)) / 2 / CATALOG_SIZE) * 1.5) + 100;
  return new Map(Array.from({ length: CATALOG_SIZE }, (_, i) => [soakSku(i), perSku]));
}

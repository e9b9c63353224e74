import type { CheckoutLine, CheckoutRequest } from '@stockade/contracts';
import { pickInt, seededRandom } from '../../client/seeded-random';
import { withDuplicateDeliveries } from './duplicates';
import { zipfSampler } from './zipf';

export const WORKLOAD_NAMES = ['single-sku', 'hot', 'uniform', 'faulty'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/**
 * Orders generated before a run, so every arm gets exactly the same ones. `checkouts` are the
 * distinct checkouts in the order of their first delivery; `deliveries` is what is sent, with
 * any duplicate delivery in place.
 */
export interface Workload {
  readonly name: WorkloadName | 'warm-up';
  readonly stock: ReadonlyMap<string, number>;
  readonly checkouts: readonly CheckoutRequest[];
  readonly deliveries: readonly CheckoutRequest[];
}

export const HOT_SKU = 'HOT';
/** Share of the hot workload's orders that want the hot SKU. */
export const HOT_SHARE = 0.3;
/** The hot SKU has stock for half of its demand, so it sells out mid-run and the rest is refused. */
export const HOT_STOCK_SHARE = 0.5;
/** Share of the faulty workload's checkouts delivered twice. */
export const DUPLICATE_SHARE = 0.01;
const CATALOG_SIZE = 1000;
const ZIPF_EXPONENT = 1;

export function buildWorkload(name: WorkloadName, count: number, seed = 7): Workload {
  const random = seededRandom(seed);
  switch (name) {
    case 'single-sku': {
      // A flash sale for one SKU, with stock for every checkout: the last one takes the last unit.
      const checkouts = Array.from({ length: count }, (_, i) =>
        checkout(name, i, [{ sku: 'SOLO', quantity: 1, unitPrice: 10 }]),
      );
      return { name, stock: new Map([['SOLO', count]]), checkouts, deliveries: checkouts };
    }
    case 'hot':
      return hotWorkload(name, count, random, (checkouts) => checkouts);
    case 'faulty':
      return hotWorkload(name, count, random, (checkouts) =>
        withDuplicateDeliveries(checkouts, DUPLICATE_SHARE, random),
      );
    case 'uniform':
      return uniformWorkload(name, count, random, 'SKU', name);
    default: {
      const unknown: never = name;
      throw new Error(`unknown workload ${String(unknown)}`);
    }
  }
}

/** What every arm runs first and the measurement leaves out: its own checkouts on SKUs of their own. */
export function buildWarmUp(count: number, seed = 11): Workload {
  return uniformWorkload('warm-up', count, seededRandom(seed), 'WARM', 'warm-up');
}

/** 1–3 lines; 30% of orders want one unit of the hot SKU, every other line a Zipf-popular SKU. */
function hotWorkload(
  name: WorkloadName,
  count: number,
  random: () => number,
  deliver: (checkouts: CheckoutRequest[]) => CheckoutRequest[],
): Workload {
  const others = Array.from({ length: CATALOG_SIZE - 1 }, (_, i) => skuName('SKU', i));
  const popular = zipfSampler(others.length, ZIPF_EXPONENT, random);
  const checkouts = Array.from({ length: count }, (_, i) => {
    const lines: CheckoutLine[] = random() < HOT_SHARE ? [{ sku: HOT_SKU, quantity: 1, unitPrice: 50 }] : [];
    const wanted = pickInt(random, 1, 3);
    const skus = new Set<string>();
    while (lines.length + skus.size < wanted) skus.add(others[popular()] as string);
    return checkout(name, i, [
      ...lines,
      ...[...skus].map((sku) => ({ sku, quantity: pickInt(random, 1, 3), unitPrice: 5 })),
    ]);
  });
  const stock = demandOf(checkouts);
  stock.set(HOT_SKU, Math.floor((stock.get(HOT_SKU) ?? 0) * HOT_STOCK_SHARE));
  return { name, stock, checkouts, deliveries: deliver(checkouts) };
}

/** 1–5 lines (uniform) over a catalog of 1,000, 1–3 units each, with stock for all of it. */
function uniformWorkload(
  name: Workload['name'],
  count: number,
  random: () => number,
  skuPrefix: string,
  idPrefix: string,
): Workload {
  const catalog = Array.from({ length: CATALOG_SIZE }, (_, i) => skuName(skuPrefix, i));
  const checkouts = Array.from({ length: count }, (_, i) => {
    const wanted = pickInt(random, 1, 5);
    const skus = new Set<string>();
    while (skus.size < wanted) skus.add(catalog[pickInt(random, 0, catalog.length - 1)] as string);
    return checkout(
      idPrefix,
      i,
      [...skus].map((sku) => ({ sku, quantity: pickInt(random, 1, 3), unitPrice: 5 })),
    );
  });
  return { name, stock: demandOf(checkouts), checkouts, deliveries: checkouts };
}

function checkout(idPrefix: string, index: number, lines: CheckoutLine[]): CheckoutRequest {
  return { checkoutId: `${idPrefix}-${index}`, customerId: `c${index}`, lines };
}

const skuName = (prefix: string, index: number) => `${prefix}-${String(index).padStart(4, '0')}`;

/** Units wanted per SKU by the distinct checkouts (a duplicate delivery wants nothing more). */
export function demandOf(checkouts: readonly CheckoutRequest[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const line of checkouts.flatMap((c) => c.lines))
    demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
  return demand;
}

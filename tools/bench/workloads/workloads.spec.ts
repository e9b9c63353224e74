import { buildWarmUp, buildWorkload, demandOf, HOT_SKU } from './workloads';

const share = (part: number, whole: number) => part / whole;

describe('buildWorkload', () => {
  it('given the same seed, when a workload is built twice, then the orders and the stock are identical (every arm gets the same orders)', () => {
    for (const name of ['single-sku', 'hot', 'uniform', 'faulty'] as const) {
      expect(buildWorkload(name, 500, 42)).toEqual(buildWorkload(name, 500, 42));
    }
  });

  it('given another seed, when the hot workload is built, then the orders differ', () => {
    expect(buildWorkload('hot', 500, 1).checkouts).not.toEqual(buildWorkload('hot', 500, 2).checkouts);
  });

  it('given the hot workload, when 10,000 orders are built, then about 30% of them want the hot SKU, which has stock for half of them', () => {
    const workload = buildWorkload('hot', 10_000);
    const hotOrders = workload.checkouts.filter((c) => c.lines.some((line) => line.sku === HOT_SKU)).length;
    expect(share(hotOrders, 10_000)).toBeGreaterThan(0.28);
    expect(share(hotOrders, 10_000)).toBeLessThan(0.32);
    expect(workload.stock.get(HOT_SKU)).toBe(Math.floor(hotOrders / 2));
  });

  it('given the hot workload, when its other SKUs are counted, then a few popular SKUs take a large share (Zipf) and every one has stock for its demand', () => {
    const workload = buildWorkload('hot', 10_000);
    const demand = demandOf(workload.checkouts);
    const others = [...demand.entries()].filter(([sku]) => sku !== HOT_SKU).sort((a, b) => b[1] - a[1]);
    const total = others.reduce((sum, [, units]) => sum + units, 0);
    const topTen = others.slice(0, 10).reduce((sum, [, units]) => sum + units, 0);
    expect(share(topTen, total)).toBeGreaterThan(0.3);
    for (const [sku, units] of others) expect(workload.stock.get(sku)).toBe(units);
  });

  it('given every workload, when built, then orders have 1 to 5 lines, no SKU twice, and unique checkout ids', () => {
    for (const name of ['single-sku', 'hot', 'uniform', 'faulty'] as const) {
      const { checkouts } = buildWorkload(name, 2_000);
      expect(new Set(checkouts.map((c) => c.checkoutId)).size).toBe(2_000);
      for (const { lines } of checkouts) {
        expect(lines.length).toBeGreaterThanOrEqual(1);
        expect(lines.length).toBeLessThanOrEqual(5);
        expect(new Set(lines.map((line) => line.sku)).size).toBe(lines.length);
      }
    }
  });

  it('given the faulty workload, when built, then it is the hot orders with 1% of them delivered twice', () => {
    const hot = buildWorkload('hot', 5_000, 3);
    const faulty = buildWorkload('faulty', 5_000, 3);
    expect(faulty.checkouts.map((c) => c.lines)).toEqual(hot.checkouts.map((c) => c.lines));
    expect(faulty.deliveries).toHaveLength(5_050);
    expect(new Set(faulty.deliveries.map((c) => c.checkoutId)).size).toBe(5_000);
  });

  it('given single-sku and uniform, when built, then stock covers the demand exactly and nothing is delivered twice', () => {
    for (const name of ['single-sku', 'uniform'] as const) {
      const workload = buildWorkload(name, 1_000);
      expect(workload.stock).toEqual(demandOf(workload.checkouts));
      expect(workload.deliveries).toEqual(workload.checkouts);
    }
  });

  it('given the warm-up, when built, then its checkouts and SKUs share nothing with a measured workload', () => {
    const warmUp = buildWarmUp(300);
    const measured = buildWorkload('uniform', 300);
    const measuredIds = new Set(measured.checkouts.map((c) => c.checkoutId));
    expect(warmUp.checkouts.some((c) => measuredIds.has(c.checkoutId))).toBe(false);
    expect([...warmUp.stock.keys()].some((sku) => measured.stock.has(sku))).toBe(false);
  });
});

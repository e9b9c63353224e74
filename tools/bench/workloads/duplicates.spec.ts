import { seededRandom } from '../../client/seeded-random';
import { withDuplicateDeliveries } from './duplicates';

const items = Array.from({ length: 1000 }, (_, i) => `c${i}`);

describe('withDuplicateDeliveries', () => {
  it('given 1% duplicates over 1,000 items, when deliveries are made, then 10 items are delivered exactly twice and every other once', () => {
    const deliveries = withDuplicateDeliveries(items, 0.01, seededRandom(3));
    expect(deliveries).toHaveLength(1010);
    const times = new Map<string, number>();
    for (const id of deliveries) times.set(id, (times.get(id) ?? 0) + 1);
    expect([...times.values()].filter((n) => n === 2)).toHaveLength(10);
    expect([...times.values()].every((n) => n === 1 || n === 2)).toBe(true);
    expect(times.size).toBe(1000);
  });

  it('given duplicates, when deliveries are made, then each second delivery comes after the first and at most maxDelay deliveries later (plus the duplicates in between)', () => {
    const deliveries = withDuplicateDeliveries(items, 0.05, seededRandom(4), 20);
    const duplicates = deliveries.length - items.length;
    const firstAt = new Map<string, number>();
    let checked = 0;
    deliveries.forEach((id, position) => {
      const first = firstAt.get(id);
      if (first === undefined) return void firstAt.set(id, position);
      checked++;
      expect(position - first).toBeGreaterThan(0);
      expect(position - first).toBeLessThanOrEqual(20 + duplicates);
    });
    expect(checked).toBe(50);
  });

  it('given the same seed twice, when deliveries are made, then they are identical', () => {
    expect(withDuplicateDeliveries(items, 0.01, seededRandom(9))).toEqual(
      withDuplicateDeliveries(items, 0.01, seededRandom(9)),
    );
  });

  it('given no duplicate share, when deliveries are made, then they are the items as they were', () => {
    expect(withDuplicateDeliveries(items, 0, seededRandom(9))).toEqual(items);
  });
});

import { shardOfSku } from '@stockade/contracts';
import { alternatingOrder, shardCheckouts, shardCombinations, skusByShard } from './shard-workload';

const SHARDS = 6;
const skus = skusByShard(SHARDS, 4);

const countBy = <T>(values: readonly T[]): Map<T, number> => {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

describe('skusByShard', () => {
  it('given 6 shards and 4 SKUs each, when picked, then every SKU hashes to the shard it is listed under, and none repeats', () => {
    expect(skus.map((onShard) => onShard.length)).toEqual([4, 4, 4, 4, 4, 4]);
    skus.forEach((onShard, shard) => onShard.forEach((sku) => expect(shardOfSku(sku, SHARDS)).toBe(shard)));
    expect(new Set(skus.flat()).size).toBe(24);
  });
});

describe('shardCombinations', () => {
  it('given 6 shards, when spanning 1, 2 or 3, then there are 6, 15 and 20 distinct combinations', () => {
    expect([1, 2, 3].map((spans) => shardCombinations(SHARDS, spans).length)).toEqual([6, 15, 20]);
    expect(new Set(shardCombinations(SHARDS, 3).map((shards) => shards.join(','))).size).toBe(20);
  });

  it('given more spans than shards, when asked, then it refuses', () => {
    expect(() => shardCombinations(SHARDS, 7)).toThrow('1 to 6');
  });
});

describe('shardCheckouts', () => {
  it.each([1, 2, 3])(
    'given spans %i, when 600 checkouts are built, then each has that many lines of quantity 1, each on a different shard',
    (spans) => {
      for (const checkout of shardCheckouts('run', 600, spans, skus)) {
        expect(checkout.lines).toHaveLength(spans);
        expect(new Set(checkout.lines.map((line) => shardOfSku(line.sku, SHARDS))).size).toBe(spans);
        expect(checkout.lines.every((line) => line.quantity === 1)).toBe(true);
      }
    },
  );

  it.each([1, 2, 3])(
    'given spans %i, when 600 checkouts are built, then every shard gets the same number of lines and every SKU of a shard the same',
    (spans) => {
      const lines = shardCheckouts('run', 600, spans, skus).flatMap((checkout) => checkout.lines);
      expect([...countBy(lines.map((line) => shardOfSku(line.sku, SHARDS))).values()]).toEqual(
        Array(SHARDS).fill((600 * spans) / SHARDS),
      );
      expect([...countBy(lines.map((line) => line.sku)).values()]).toEqual(Array(24).fill((600 * spans) / 24));
    },
  );

  it('given spans 2, when checkouts are built, then every pair of shards is spanned, not only neighbours', () => {
    const pairs = shardCheckouts('run', 15, 2, skus).map((checkout) =>
      checkout.lines.map((line) => shardOfSku(line.sku, SHARDS)).join('+'),
    );
    expect(new Set(pairs).size).toBe(15);
  });

  it('given a prefix, when checkouts are built, then their ids are unique and carry it', () => {
    const ids = shardCheckouts('i2-s3-r1', 500, 3, skus).map((checkout) => checkout.checkoutId);
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => id.startsWith('i2-s3-r1-'))).toBe(true);
  });
});

describe('alternatingOrder', () => {
  it('given spans 1,2,3 and 3 repeats, when ordered, then it runs forward, backward, forward', () => {
    expect(alternatingOrder([1, 2, 3], 3).join(' ')).toBe('1 2 3 3 2 1 1 2 3');
  });
});

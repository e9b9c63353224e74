import { partitionForKey } from '@stockade/kernel';
import { shardOfSku } from './inventory-shards';

describe("a SKU's inventory shard", () => {
  it('given a SKU and a shard count, then its shard is the inventory.commands partition its key lands on', () => {
    for (const sku of ['lamp', 'desk-1', 'ü-chair']) expect(shardOfSku(sku, 4)).toBe(partitionForKey(sku, 4));
  });

  it('given one shard, then every SKU is on shard 0', () => {
    expect(['lamp', 'desk-1', ''].map((sku) => shardOfSku(sku, 1))).toEqual([0, 0, 0]);
  });
});

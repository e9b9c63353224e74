import { shardOfSku } from '@stockade/contracts';
import { FenceLost, InMemoryEventStore } from '@stockade/event-store';
import { isOutage } from '@stockade/kernel';
import { shardFenceName, ShardNotOwned, ShardOwnership } from './shard-ownership';

const SHARDS = 4;
/** One SKU per shard, found by the same hash the broker uses. */
const skuOn = (shard: number): string => {
  for (let n = 0; ; n++) if (shardOfSku(`SKU-${n}`, SHARDS) === shard) return `SKU-${n}`;
};

function ownershipOn(store: InMemoryEventStore) {
  const forgotten: number[][] = [];
  const ownership = new ShardOwnership({
    shards: SHARDS,
    takeFence: (name) => store.takeFence(name),
    forget: (shards) => forgotten.push([...shards]),
  });
  return { ownership, forgotten };
}

describe('ShardOwnership: which inventory shards an instance may write (ADR 0020)', () => {
  it('given SKUs spread over 4 shards, then every SKU maps to one of them, the same each time', () => {
    const skus = Array.from({ length: 200 }, (_, n) => `SKU-${n}`);
    const shards = skus.map((sku) => shardOfSku(sku, SHARDS));
    expect(new Set(shards)).toEqual(new Set([0, 1, 2, 3]));
    expect(skus.map((sku) => shardOfSku(sku, SHARDS))).toEqual(shards);
  });

  it('given shards 0 and 2 assigned, when an append touches SKUs of them, then it carries their fences at the epochs taken; a SKU of shard 1 is refused as not owned, an outage the bus retries', async () => {
    const store = new InMemoryEventStore();
    const { ownership } = ownershipOn(store);

    ownership.assign([0, 2]);

    expect(await ownership.fencesFor([skuOn(0), skuOn(2), skuOn(0)])).toEqual([
      { name: shardFenceName(0), epoch: 1 },
      { name: shardFenceName(2), epoch: 1 },
    ]);
    const refusal = await ownership.fencesFor([skuOn(0), skuOn(1)]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ShardNotOwned);
    expect([(refusal as ShardNotOwned).shard, isOutage(refusal)]).toEqual([1, true]);
    expect([ownership.owns(skuOn(2)), ownership.owns(skuOn(3)), ownership.owned()]).toEqual([true, false, [0, 2]]);
  });

  it('given another instance took shard 0 since (a deposed owner that woke up), when this one appends with its fence, then the store refuses it, and the shard is forgotten here until assigned again', async () => {
    const store = new InMemoryEventStore();
    const deposed = ownershipOn(store);
    deposed.ownership.assign([0]);
    const fences = await deposed.ownership.fencesFor([skuOn(0)]);
    const successor = ownershipOn(store);
    successor.ownership.assign([0]);
    await successor.ownership.fencesFor([skuOn(0)]);

    const refusal = await store
      .appendToStreams([{ stream: `stock-${skuOn(0)}`, expectedVersion: 'any', events: [] }], { fences })
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(FenceLost);
    const notOwned = deposed.ownership.lost(refusal as FenceLost);
    expect([notOwned.shard, deposed.ownership.owns(skuOn(0)), deposed.forgotten.at(-1)]).toEqual([0, false, [0]]);
    expect(await successor.ownership.fencesFor([skuOn(0)])).toEqual([{ name: shardFenceName(0), epoch: 2 }]);
  });

  it('given a rebalance that gives this instance back the same shards and nobody else took them, then their caches are kept; a shard another instance held meanwhile, or one not given back, is forgotten', async () => {
    const store = new InMemoryEventStore();
    const { ownership, forgotten } = ownershipOn(store);
    ownership.assign([0, 1, 2]);
    await ownership.fencesFor([skuOn(0), skuOn(1), skuOn(2)]);
    forgotten.length = 0;

    ownership.assign([]);
    await store.takeFence(shardFenceName(1));
    ownership.assign([0, 1]);

    expect(await ownership.fencesFor([skuOn(0), skuOn(1)])).toEqual([
      { name: shardFenceName(0), epoch: 2 },
      { name: shardFenceName(1), epoch: 3 },
    ]);
    expect(forgotten.flat().sort()).toEqual([1, 2]);
    expect(ownership.owned()).toEqual([0, 1]);
  });

  it('given a rebalance in progress (nothing assigned), when an append asks for a fence, then it is refused as not owned', async () => {
    const { ownership } = ownershipOn(new InMemoryEventStore());
    ownership.assign([0]);
    ownership.assign([]);

    await expect(ownership.fencesFor([skuOn(0)])).rejects.toBeInstanceOf(ShardNotOwned);
  });
});

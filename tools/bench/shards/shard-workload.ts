import { shardOfSku, type CheckoutRequest } from '@stockade/contracts';

/** SKUs grouped by the inventory shard they hash to: index = shard. */
export type SkusByShard = readonly (readonly string[])[];

/**
 * `perShard` SKUs on each of `shards` shards, found by hashing candidate names as the services do,
 * so a checkout's lines land on exactly the shards the bench means them to.
 */
export function skusByShard(shards: number, perShard: number, prefix = 'SHB'): SkusByShard {
  const byShard: string[][] = Array.from({ length: shards }, () => []);
  let found = 0;
  for (let n = 0; found < shards * perShard; n++) {
    const sku = `${prefix}-${n}`;
    const bucket = byShard[shardOfSku(sku, shards)] as string[];
    if (bucket.length < perShard) {
      bucket.push(sku);
      found++;
    }
  }
  return byShard;
}

/**
 * Every way to pick `spans` distinct shards out of `shards`, in lexicographic order. Cycling
 * through all of them gives every shard the same share of lines and every pair of shards (so every
 * pair of instances, however the group assigns partitions) its share of cross-shard checkouts.
 */
export function shardCombinations(shards: number, spans: number): number[][] {
  if (!Number.isInteger(spans) || spans < 1 || spans > shards)
    throw new Error(`a checkout can span 1 to ${shards} shards, not ${spans}`);
  const combinations: number[][] = [];
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === spans) {
      combinations.push(chosen);
      return;
    }
    for (let shard = from; shard <= shards - (spans - chosen.length); shard++) pick(shard + 1, [...chosen, shard]);
  };
  pick(0, []);
  return combinations;
}

/**
 * `count` checkouts of `spans` lines each, one line of quantity 1 per shard, the shards cycling
 * through every combination and each shard's SKUs taken in turn: demand is spread evenly over
 * shards and SKUs, so the run measures decisions, not a hot SKU.
 */
export function shardCheckouts(idPrefix: string, count: number, spans: number, skus: SkusByShard): CheckoutRequest[] {
  const combinations = shardCombinations(skus.length, spans);
  const nextOnShard = skus.map(() => 0);
  return Array.from({ length: count }, (_, n) => ({
    checkoutId: `${idPrefix}-${n}`,
    customerId: `c-${n % 1000}`,
    lines: (combinations[n % combinations.length] as number[]).map((shard) => {
      const onShard = skus[shard] as readonly string[];
      const turn = nextOnShard[shard] as number;
      nextOnShard[shard] = turn + 1;
      return { sku: onShard[turn % onShard.length] as string, quantity: 1, unitPrice: 5 };
    }),
  }));
}

/** Runs in order, then in reverse, `repeat` times (1 2 3 3 2 1 …), so drift over a stack's life weighs on every value alike. */
export function alternatingOrder<T>(values: readonly T[], repeat: number): T[] {
  return Array.from({ length: repeat }, (_, round) => (round % 2 === 0 ? [...values] : [...values].reverse())).flat();
}

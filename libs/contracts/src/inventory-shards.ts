import { partitionForKey } from '@stockade/kernel';

/**
 * A SKU's inventory shard: the partition of inventory.commands its name hashes to (Kafka's own
 * murmur2), so the order service routing a reservation, the shard owner checking what it may
 * write, and the broker all agree. One rule for every caller (ADR 0020).
 */
export function shardOfSku(sku: string, shards: number): number {
  return partitionForKey(sku, shards);
}

/** The setting that says how many inventory shards there are, and where an operator reads how to change it (checked against inventory.commands at start). */
export const INVENTORY_SHARDS_SETTING = {
  name: 'STOCKADE_INVENTORY_SHARDS',
  guide: 'docs/operations.md, "Scaling inventory"',
} as const;

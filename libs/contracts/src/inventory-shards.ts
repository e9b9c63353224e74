import { partitionForKey } from '@stockade/kernel';

/**
 * A SKU's inventory shard: the partition of inventory.commands its name hashes to (Kafka's own
 * murmur2), so the order service routing a reservation, the shard owner checking what it may
 * write, and the broker all agree. One rule for every caller (ADR 0020).
 */
export function shardOfSku(sku: string, shards: number): number {
  return partitionForKey(sku, shards);
}

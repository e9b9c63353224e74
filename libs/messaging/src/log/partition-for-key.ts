/** The bus partitions by the kernel's Kafka-compatible key hash; the contracts' shards use the same one. */
export { partitionForKey } from '@stockade/kernel';

/**
 * partition = murmur2(UTF-8 key) & 0x7fffffff % partitions: the hash of Kafka's default
 * partitioner (Java client and kafkajs), so a key lands on the same partition number here
 * as on a Kafka topic with as many partitions. All that the bus promises is "same key → same
 * partition", which any stable hash gives; matching Kafka just avoids surprises when the
 * embedded log and a broker are compared side by side. It lives in the kernel because the
 * contracts route by it too (a SKU's inventory shard, ADR 0020), and they import no adapter.
 */
export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length % 4;
  if (tail >= 3) h ^= (data[whole + 2] as number) << 16;
  if (tail >= 2) h ^= (data[whole + 1] as number) << 8;
  if (tail >= 1) h = Math.imul(h ^ (data[whole] as number), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Exposed for the spec, which checks it against Kafka's published test vectors. */
export const murmur2ForTesting = murmur2;

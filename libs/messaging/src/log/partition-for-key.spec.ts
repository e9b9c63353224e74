import { partitionForKey } from './partition-for-key';

describe('the bus partitioner', () => {
  it('given keys whose Kafka partitions are known, when partitioned over 8, then each lands where Kafka puts it', () => {
    // murmur2('foobar') = -790332482 (Kafka's test vector): & 0x7fffffff, % 8.
    expect(partitionForKey('foobar', 8)).toBe((-790332482 & 0x7fffffff) % 8);
    expect(partitionForKey('abc', 8)).toBe((479470107 & 0x7fffffff) % 8);
  });
});

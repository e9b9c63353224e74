import { murmur2ForTesting, partitionForKey } from './key-partition';

describe('partitionForKey', () => {
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('given the key %p, when hashed, then murmur2 matches Kafka (%p)', (key, expected) => {
    expect(murmur2ForTesting(Buffer.from(key, 'utf8'))).toBe(expected);
  });

  it('given the same key twice, when partitioned, then it lands on the same partition within range', () => {
    for (const key of ['sku-1', 'checkout-9f2', 'ü-ñicode', '']) {
      const partition = partitionForKey(key, 8);
      expect(partition).toBe(partitionForKey(key, 8));
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(8);
    }
  });
});

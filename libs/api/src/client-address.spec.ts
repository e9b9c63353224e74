import { addressBucketOf } from './client-address';

describe('the address a per-address limit counts', () => {
  it('given two IPv6 addresses of one /64 (one host may use them all), then they count as one; another /64 is another caller', () => {
    expect(addressBucketOf('2001:db8:1:2::1')).toBe(addressBucketOf('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(addressBucketOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucketOf('2001:db8:1:3::1')).not.toBe(addressBucketOf('2001:db8:1:2::1'));
    expect(addressBucketOf('::1')).toBe('0:0:0:0::/64');
  });

  it('given IPv4, as it is or as a dual-stack socket reports it, then it is that address', () => {
    expect(addressBucketOf('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucketOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });
});

import { seededRandom } from '../../client/seeded-random';
import { zipfSampler } from './zipf';

describe('zipfSampler', () => {
  it('given exponent 1 over 100 ranks, when 20,000 ranks are drawn, then rank 0 is drawn about twice as often as rank 1 and far more than rank 99', () => {
    const draw = zipfSampler(100, 1, seededRandom(1));
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 20_000; i++) counts[draw()]!++;
    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.7);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.3);
    expect(counts[0]!).toBeGreaterThan(20 * counts[99]!);
  });

  it('given the same seed twice, when ranks are drawn, then the sequences are equal', () => {
    const first = zipfSampler(50, 1.2, seededRandom(5));
    const second = zipfSampler(50, 1.2, seededRandom(5));
    expect(Array.from({ length: 100 }, first)).toEqual(Array.from({ length: 100 }, second));
  });

  it('given a random source at its extremes, when a rank is drawn, then it stays within 0..n-1', () => {
    expect(zipfSampler(10, 1, () => 0)()).toBe(0);
    expect(zipfSampler(10, 1, () => 0.999999999)()).toBe(9);
  });
});

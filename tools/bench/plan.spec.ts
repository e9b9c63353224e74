import { abbaOrder, rateLadder } from './plan';

describe('abbaOrder', () => {
  it('given two arms and two blocks, when ordered, then it is A B B A A B B A', () => {
    expect(abbaOrder(['A', 'B'], 2).join(' ')).toBe('A B B A A B B A');
  });

  it('given three arms, when ordered, then the block mirrors itself: A B C C B A', () => {
    expect(abbaOrder(['A', 'B', 'C'], 1).join(' ')).toBe('A B C C B A');
  });

  it('given one arm, when ordered, then it runs twice per block like every arm', () => {
    expect(abbaOrder(['A'], 2)).toEqual(['A', 'A', 'A', 'A']);
  });
});

describe('rateLadder', () => {
  it('given closed-loop maxima of 2,000/s and 4,000/s and 6 steps, when laddered, then it climbs from 200/s to 4,000/s in equal ratios', () => {
    const rates = rateLadder([2000, 4000], 6);
    expect(rates[0]).toBe(200);
    expect(rates.at(-1)).toBe(4000);
    expect(rates).toHaveLength(6);
    for (let i = 1; i < rates.length; i++) expect(rates[i]! / rates[i - 1]!).toBeCloseTo(Math.pow(20, 1 / 5), 0);
  });

  it('given no closed-loop figure, when laddered, then there is nothing to run', () => {
    expect(rateLadder([0], 5)).toEqual([]);
  });

  it('given rates, when laddered, then each is rounded to two significant digits', () => {
    for (const rate of rateLadder([1234, 5678], 5))
      expect(String(rate).replace(/0+$/, '').length).toBeLessThanOrEqual(2);
  });
});

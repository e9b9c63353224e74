import { KnownPositions } from './kurrent-known-positions';

describe('KnownPositions', () => {
  it('given remembered positions, then exactly those are known', () => {
    const known = new KnownPositions();
    known.remember(118);

    expect([known.has(118), known.has(117), known.has(119)]).toEqual([true, false, false]);
  });

  it('given more positions than its capacity, then the least recently seen is forgotten first', () => {
    const known = new KnownPositions(2);
    known.remember(1);
    known.remember(2);
    known.remember(1);

    known.remember(3);

    expect([known.has(1), known.has(2), known.has(3)]).toEqual([true, false, true]);
  });

  it('given 0 (the empty store head), then it is not remembered: a read after 0 starts at the beginning anyway', () => {
    const known = new KnownPositions();
    known.remember(0);

    expect(known.has(0)).toBe(false);
  });
});

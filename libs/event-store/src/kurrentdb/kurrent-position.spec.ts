import { InvariantViolation } from '@stockade/kernel';
import { toKurrentPosition, toPortPosition } from './kurrent-position';

describe('toPortPosition', () => {
  it('given the first event of a database (commit position 0), then its port position is 1', () => {
    expect(toPortPosition({ commit: 0n, prepare: 0n })).toBe(1);
  });

  it('given increasing commit positions, then port positions increase with them', () => {
    const positions = [0n, 117n, 118n, 4_096n].map((commit) => toPortPosition({ commit, prepare: commit }));

    expect(positions).toEqual([1, 118, 119, 4_097]);
  });

  it('given a stream read that carries no commit position (2^64 - 1), then the prepare position is used', () => {
    expect(toPortPosition({ commit: 2n ** 64n - 1n, prepare: 500n })).toBe(501);
  });

  it('given the largest log position a number holds exactly, then it converts; one more is refused rather than rounded', () => {
    const largest = BigInt(Number.MAX_SAFE_INTEGER) - 1n;

    expect(toPortPosition({ commit: largest, prepare: largest })).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toPortPosition({ commit: largest + 1n, prepare: largest + 1n })).toThrow(InvariantViolation);
  });
});

describe('toKurrentPosition', () => {
  it('given a port position, then the read starts exactly on that event (commit and prepare at its log position)', () => {
    expect(toKurrentPosition(1)).toEqual({ commit: 0n, prepare: 0n });
    expect(toKurrentPosition(119)).toEqual({ commit: 118n, prepare: 118n });
  });

  it('given any log position, then converting there and back returns it', () => {
    for (const commit of [0n, 1n, 987_654_321n, BigInt(Number.MAX_SAFE_INTEGER) - 1n]) {
      expect(toKurrentPosition(toPortPosition({ commit, prepare: commit }))).toEqual({ commit, prepare: commit });
    }
  });

  it.each([0, -3, 2.5, Number.MAX_SAFE_INTEGER + 2])(
    'given %p, which no event can have, then it is refused',
    (position) => {
      expect(() => toKurrentPosition(position)).toThrow(InvariantViolation);
    },
  );
});

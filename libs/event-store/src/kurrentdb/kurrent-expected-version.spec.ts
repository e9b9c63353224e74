import { ValidationError } from '@stockade/kernel';
import { fromKurrentStreamState, toKurrentStreamState } from './kurrent-expected-version';

describe('toKurrentStreamState', () => {
  it.each([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
  ] as const)('given the expected version %s, then the client gets its constant %s', (expected, state) => {
    expect(toKurrentStreamState(expected)).toBe(state);
  });

  it('given a version number, then the client gets that revision as a bigint', () => {
    expect(toKurrentStreamState(0)).toBe(0n);
    expect(toKurrentStreamState(41)).toBe(41n);
  });

  it('given the version -1 (no events), then the client is told the stream must not exist, as the port treats -1', () => {
    expect(toKurrentStreamState(-1)).toBe('no_stream');
  });

  it.each([-2, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'given the number %p, then it is refused with a ValidationError',
    (expected) => {
      expect(() => toKurrentStreamState(expected)).toThrow(ValidationError);
    },
  );
});

describe('fromKurrentStreamState', () => {
  it('given no stream, then the actual version is -1', () => {
    expect(fromKurrentStreamState('no_stream')).toBe(-1);
  });

  it('given a revision, then the actual version is that number', () => {
    expect(fromKurrentStreamState(0n)).toBe(0);
    expect(fromKurrentStreamState(1234n)).toBe(1234);
  });

  it('given a deleted (-5) or tombstoned (-6) stream, then the actual version is -1', () => {
    expect(fromKurrentStreamState(-5n)).toBe(-1);
    expect(fromKurrentStreamState(-6n)).toBe(-1);
  });
});

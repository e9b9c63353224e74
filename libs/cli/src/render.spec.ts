import { formatDuration, parseDuration } from './render';

describe('durations on the command line', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1500', 1_500],
    ['1.5s', 1_500],
  ])('given %s, when parsed, then it is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('given text that is no duration, when parsed, then nothing comes back', () => {
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('-5s')).toBeUndefined();
  });

  it('given durations, when shown, then in the unit a person reads', () => {
    expect([
      formatDuration(800),
      formatDuration(1_500),
      formatDuration(42_000),
      formatDuration(90_000),
      formatDuration(3_900_000),
    ]).toEqual(['800 ms', '1.5 s', '42 s', '1 min 30 s', '1 h 5 min']);
  });
});

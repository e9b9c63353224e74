import { dueUntil, intendedOffsetsMs } from './open-loop-schedule';

describe('the open-loop schedule', () => {
  it('given 500 checkouts/s, when 1,000 deliveries are scheduled, then they are 2 ms apart and the last is due at 1,998 ms', () => {
    const offsets = intendedOffsetsMs(1000, 500);
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBe(2);
    expect(offsets[999]).toBeCloseTo(1998);
  });

  it('given a schedule, when the sender wakes up late, then every delivery due by then is released at once (none is skipped)', () => {
    const offsets = intendedOffsetsMs(100, 1000); // one per ms
    expect(dueUntil(offsets, 0, 0)).toBe(1);
    expect(dueUntil(offsets, 1, 9.5)).toBe(10);
    expect(dueUntil(offsets, 10, 5)).toBe(10); // nothing new is due yet
    expect(dueUntil(offsets, 10, 1e9)).toBe(100);
  });

  it('given a rate that is not positive, when scheduled, then it refuses', () => {
    expect(() => intendedOffsetsMs(10, 0)).toThrow('positive rate');
  });
});

import { SerialPasses } from './serial-passes';

describe('SerialPasses: a durable timer’s passes, one at a time', () => {
  it('given a pass in flight, when two more are asked for, then each starts only after the one before it ended', async () => {
    const log: string[] = [];
    let finishFirst: () => void = () => undefined;
    let count = 0;
    const passes = new SerialPasses(async () => {
      const n = ++count;
      log.push(`start ${n}`);
      if (n === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
      log.push(`end ${n}`);
      return n;
    }, 0);

    const first = passes.run();
    const second = passes.run();
    const third = passes.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start 1']);
    finishFirst();

    expect(await Promise.all([first, second, third])).toEqual([1, 2, 3]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('given a pass that fails, then its caller sees the failure and the next pass still runs', async () => {
    let count = 0;
    const passes = new SerialPasses(async () => {
      if (++count === 1) throw new Error('store down');
      return count;
    }, 0);

    await expect(passes.run()).rejects.toThrow('store down');
    expect(await passes.run()).toBe(2);
  });

  it('given started passes, when stopped, then no pass runs after stop returned', async () => {
    jest.useFakeTimers();
    try {
      let count = 0;
      const passes = new SerialPasses(async () => ++count, 0);
      await passes.start(1_000);
      await jest.advanceTimersByTimeAsync(3_000);
      const ranBeforeStop = count;

      await passes.stop();
      await jest.advanceTimersByTimeAsync(5_000);

      expect(ranBeforeStop).toBe(4);
      expect(count).toBe(ranBeforeStop);
    } finally {
      jest.useRealTimers();
    }
  });
});

import { PerKeyQueue } from './per-key-queue';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PerKeyQueue', () => {
  it('given tasks on one key, when they are queued at once, then they run one after another in order', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      queue.run('k', task('a')),
      queue.run('k', task('b')),
      queue.run('k', task('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('given a failing task, when the next one is queued, then it still runs and the failure reaches only its caller', async () => {
    const queue = new PerKeyQueue();
    const failed = queue.run('k', async () => {
      throw new Error('boom');
    });
    const next = queue.run('k', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('given two keys, when both have work, then they run concurrently', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    let release!: () => void;
    const blocked = queue.run('a', () => new Promise<void>((resolve) => (release = resolve)).then(() => log.push('a')));
    await queue.run('b', async () => log.push('b'));
    release();
    await blocked;
    expect(log).toEqual(['b', 'a']);
  });

  it('given every queue drained, then no key is kept', async () => {
    const queue = new PerKeyQueue();
    await Promise.all([queue.run('a', async () => 1), queue.run('b', async () => 2)]);
    await tick();
    expect(queue.activeKeys).toBe(0);
  });
});

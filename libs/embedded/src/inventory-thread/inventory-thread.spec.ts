import { StockadeError } from '@stockade/kernel';
import { loadConfig } from '@stockade/runtime';
import { startInventoryThread } from './inventory-thread';

/**
 * A stand-in worker speaking the bridge protocol (plain JavaScript: Jest's TypeScript cannot be
 * loaded by a Worker). getStock('BOOM') throws outside any handler, as a bug in the real worker would.
 */
const STAND_IN_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.kind === 'close') return parentPort.postMessage({ kind: 'closed' });
  // Echoes appended news back, as if the thread's own bus had then written the same partitions.
  if (message.kind === 'appended') return parentPort.postMessage({ kind: 'appended', topic: message.topic + '.echo', partitions: message.partitions });
  const [sku] = message.args;
  if (sku === 'BOOM') return setImmediate(() => { throw new Error('inventory thread bug'); });
  if (sku === 'SLOW') return;
  if (sku === 'LIMITS') return parentPort.postMessage({ kind: 'result', id: message.id, value: require('node:worker_threads').resourceLimits });
  if (sku === 'MISSING') return parentPort.postMessage({ kind: 'failure', id: message.id, error: { name: 'NotFoundError', code: 'NOT_FOUND', message: 'sku MISSING not found' } });
  parentPort.postMessage({ kind: 'result', id: message.id, value: { sku, method: message.method } });
});
parentPort.postMessage({ kind: 'ready' });
`;

const standInConfig = (env: Record<string, string> = {}) =>
  loadConfig({
    STOCKADE_DATA_DIR: '/unused',
    STOCKADE_OPERATOR_TOKEN: 'stand-in-operator-token',
    STOCKADE_LOG_LEVEL: 'silent',
    ...env,
  });
const settings = {
  config: standInConfig(),
  busPollIntervalMs: 2,
  messageLogWriteLock: new SharedArrayBuffer(4),
  handoffTopics: [],
};

function startStandIn(
  onCrash: (error: Error) => void = () => undefined,
  onAppended?: (topic: string, partitions: readonly number[]) => void,
  config = settings.config,
) {
  return startInventoryThread(
    { ...settings, config },
    { workerFile: STAND_IN_WORKER, evalWorker: true, onCrash, ...(onAppended ? { onAppended } : {}) },
  );
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the inventory thread bridge', () => {
  it('given a running thread, when several calls are in flight, then each answer reaches its own caller', async () => {
    const thread = await startStandIn();

    const answers = await Promise.all([
      thread.facade.getStock('A'),
      thread.facade.receiveStock('B', 3),
      thread.facade.getStock('C'),
    ]);

    expect(answers).toEqual([
      { sku: 'A', method: 'getStock' },
      { sku: 'B', method: 'receiveStock' },
      { sku: 'C', method: 'getStock' },
    ]);
    await thread.close();
  });

  it('given appended news for the thread, when the thread answers with news of its own, then each crosses with its topic and partitions', async () => {
    const news: Array<[string, readonly number[]]> = [];
    const thread = await startStandIn(undefined, (topic, partitions) => news.push([topic, partitions]));

    thread.appendedElsewhere('inventory.commands', [1, 6]);

    await waitFor(() => news.length === 1);
    expect(news).toEqual([['inventory.commands.echo', [1, 6]]]);
    await thread.close();
  });

  it('given heap limits in the configuration, when the thread starts, then it runs with them as its resourceLimits', async () => {
    const config = standInConfig({
      STOCKADE_INVENTORY_THREAD_MAX_OLD_GENERATION_MB: '256',
      STOCKADE_INVENTORY_THREAD_MAX_YOUNG_GENERATION_MB: '16',
    });
    const thread = await startStandIn(undefined, undefined, config);
    try {
      expect(await thread.facade.getStock('LIMITS')).toMatchObject({
        maxOldGenerationSizeMb: 256,
        maxYoungGenerationSizeMb: 16,
      });
    } finally {
      await thread.close();
    }
  });

  it('given no heap limits configured, when the thread starts, then it runs with the documented defaults (1,024 MiB old, 48 MiB young)', async () => {
    const thread = await startStandIn();
    try {
      expect(await thread.facade.getStock('LIMITS')).toMatchObject({
        maxOldGenerationSizeMb: 1024,
        maxYoungGenerationSizeMb: 48,
      });
    } finally {
      await thread.close();
    }
  });

  it('given a typed refusal in the thread, when it is answered, then the caller gets a StockadeError with the same code', async () => {
    const thread = await startStandIn();

    await expect(thread.facade.getStock('MISSING')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'sku MISSING not found',
    });
    await thread.close();
  });

  it('given a call in flight, when the thread crashes, then the call fails as unavailable and the crash is reported once', async () => {
    const crashes: Error[] = [];
    const thread = await startStandIn((error) => crashes.push(error));
    const inFlight = thread.facade.getStock('SLOW');

    await expect(thread.facade.getStock('BOOM')).rejects.toBeInstanceOf(StockadeError);
    await expect(inFlight).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(crashes.map((error) => error.message)).toEqual(['inventory thread bug']);
    await expect(thread.facade.getStock('A')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('given a running thread, when it is closed, then close waits for its goodbye and the end is not reported as a crash', async () => {
    const crashes: Error[] = [];
    const thread = await startStandIn((error) => crashes.push(error));

    await thread.close();
    await thread.close();

    expect(crashes).toEqual([]);
    await expect(thread.facade.getStock('A')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

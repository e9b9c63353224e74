import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../../client/child-process-system';
import { StockadeClient } from '../../client/stockade-client';
import { httpIngress } from '../load/http-ingress';
import { ndjsonIngress } from '../load/ndjson-ingress';
import { processSource } from '../measure/cpu-meter';
import type { Arm } from './arm';
import { waitForCount } from './arm';
import { readTerminalEvents, terminalOrderCount } from './embedded-outcomes';
import { readStock, receiveStock } from './stockade-stock';

export interface EmbeddedArmOptions {
  /** HTTP requests in flight in the closed loop. */
  readonly concurrency: number;
  /** Checkouts per NDJSON request: the batch ingress arm. Absent: one JSON request per checkout. */
  readonly batch?: number;
  readonly p99TargetMs: number;
}

/**
 * Stockade embedded (`dist/apps/stockade/src/main.js`) as its own process with a fresh data
 * directory, checkouts over HTTP. Terminal times come from its order store after the run.
 */
export function embeddedArm(options: EmbeddedArmOptions): Arm {
  return {
    name: options.batch ? 'embedded-batch' : 'embedded',
    p99TargetMs: options.p99TargetMs,
    cpuCounted: 'the Stockade process, every thread (HTTP, sagas, inventory worker thread, SQLite, GC)',
    async start(stock) {
      const dataDir = mkdtempSync(join(tmpdir(), 'stockade-bench-'));
      const server = new ChildProcessSystem(dataDir, await freePort(), { STOCKADE_LOG_LEVEL: 'error' });
      try {
        await server.start();
        const client = new StockadeClient(server.url, OPERATOR_TOKEN);
        await receiveStock(client, stock);
        return {
          decidesOnAnswer: false,
          cpuSources: [processSource('stockade', () => server.pid)],
          async ingress(log) {
            return options.batch
              ? ndjsonIngress(server.url, log, { batchSize: options.batch, closedLoopConcurrency: 8 })
              : httpIngress(server.url, log, { closedLoopConcurrency: options.concurrency, maxSockets: Math.max(256, options.concurrency) });
          },
          waitForDecisions: (total, stallMs) => waitForCount(() => terminalOrderCount(server.url), total, stallMs),
          async observe(skus) {
            return { decisions: readTerminalEvents(join(dataDir, 'orders.db')), stockAfter: await readStock(client, skus) };
          },
          peakRssMiB: () => ({ stockade: server.peakMemoryMiB() }),
          async stop() {
            await server.stop();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
        throw error;
      }
    },
  };
}

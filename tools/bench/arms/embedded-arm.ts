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
import { PublishedOutcomeReader } from './published-outcomes';
import { readStock, receiveStock } from './stockade-stock';

/** Where each run's data directory goes: under the OS temporary directory (the report says on which filesystem). */
export const EMBEDDED_DATA_DIR_PREFIX = 'stockade-bench-';

export interface EmbeddedArmOptions {
  /** HTTP requests in flight in the closed loop. */
  readonly concurrency: number;
  /** Checkouts per NDJSON request: the batch ingress arm. Absent: one JSON request per checkout. */
  readonly batch?: number;
  readonly p99TargetMs: number;
  /** The durable row: SQLite with synchronous=FULL (an fsync per commit) instead of NORMAL. */
  readonly durable?: boolean;
  /**
   * `embedded-logged`: the internal topics through messages.db as before ADR 0031
   * (STOCKADE_EMBEDDED_HANDOFF=false), to measure the handoff against in the same run.
   */
  readonly logged?: boolean;
}

/** The report's words for the embedded arm's durability. */
export function embeddedDurability(durable: boolean | undefined): string {
  return durable
    ? 'SQLite WAL, synchronous=FULL (STOCKADE_SQLITE_SYNCHRONOUS=full): each group commit waits for its fsync'
    : 'SQLite WAL, synchronous=NORMAL: fsync at checkpoints only; a commit survives a process crash, not a power cut';
}

/**
 * Stockade embedded (`dist/apps/stockade/src/main.js`) as its own process with a fresh data
 * directory, checkouts over HTTP. Outcomes, their times and the count the run waits for come from
 * what it publishes on order.events (PublishedOutcomeReader): nothing is asked of the server while
 * it is measured.
 */
export function embeddedArm(options: EmbeddedArmOptions): Arm {
  return {
    name: options.batch ? 'embedded-batch' : options.logged ? 'embedded-logged' : 'embedded',
    p99TargetMs: options.p99TargetMs,
    cpuCounted: 'the Stockade process, every thread (HTTP, sagas, inventory worker thread, SQLite, GC)',
    durability: embeddedDurability(options.durable),
    async start(stock) {
      const dataDir = mkdtempSync(join(tmpdir(), EMBEDDED_DATA_DIR_PREFIX));
      const server = new ChildProcessSystem(dataDir, await freePort(), {
        STOCKADE_LOG_LEVEL: 'error',
        STOCKADE_SQLITE_SYNCHRONOUS: options.durable ? 'full' : 'normal',
        ...(options.logged ? { STOCKADE_EMBEDDED_HANDOFF: 'false' } : {}),
      });
      let outcomes: PublishedOutcomeReader | undefined;
      try {
        await server.start();
        outcomes = new PublishedOutcomeReader(join(dataDir, 'messages.db'));
        outcomes.start();
        const published = outcomes;
        const client = new StockadeClient(server.url, OPERATOR_TOKEN);
        await receiveStock(client, stock);
        return {
          decidesOnAnswer: false,
          cpuSources: [processSource('stockade', () => server.pid)],
          async ingress(log) {
            return options.batch
              ? ndjsonIngress(server.url, log, { batchSize: options.batch, closedLoopConcurrency: 8 })
              : httpIngress(server.url, log, {
                  closedLoopConcurrency: options.concurrency,
                  maxSockets: Math.max(256, options.concurrency),
                });
          },
          waitForDecisions: (total, stallMs) => waitForCount(async () => published.decidedCount, total, stallMs),
          async observe(skus) {
            return {
              decisions: published.decisions,
              stockAfter: await readStock(client, skus),
              problems: published.problems,
            };
          },
          peakRssMiB: () => ({ stockade: server.peakMemoryMiB() }),
          async stop() {
            published.stop();
            await server.stop();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        outcomes?.stop();
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
        throw error;
      }
    },
  };
}

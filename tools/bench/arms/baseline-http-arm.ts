import { tmpdir } from 'node:os';
import { Pool } from 'pg';
import { ChildProcessSystem, freePort } from '../../client/child-process-system';
import { baselineEnv } from '../baseline/baseline-config';
import {
  baselineTables,
  createBaselineTables,
  dropBaselineTables,
  readBaselineState,
} from '../baseline/baseline-store';
import { httpIngress } from '../load/http-ingress';
import { processSource } from '../measure/cpu-meter';
import type { PostgresProcesses } from '../measure/postgres-processes';
import type { BaselineCheckoutKind } from '../baseline/baseline-checkout';
import type { Arm } from './arm';

export interface BaselineArmOptions {
  readonly postgresUrl: string;
  readonly postgres: PostgresProcesses;
  readonly connections: number;
  readonly synchronousCommit: boolean;
  /** One round trip to the checkout function (default) or the multi-statement transaction. */
  readonly checkout: BaselineCheckoutKind;
  readonly p99TargetMs: number;
}

/** The report's words for a baseline's checkout and durability. */
export function baselineDurability(options: Pick<BaselineArmOptions, 'synchronousCommit' | 'checkout'>): string {
  const checkout =
    options.checkout === 'function'
      ? 'one round trip to a PL/pgSQL function (prepared statement)'
      : 'a BEGIN … COMMIT transaction of several round trips';
  const sync = options.synchronousCommit
    ? 'synchronous_commit=on (each commit waits for its WAL fsync)'
    : 'synchronous_commit=off (no fsync wait; a commit survives a process crash, not a power cut)';
  return `PostgreSQL, ${sync}, set per session; ${checkout}`;
}

export const BASELINE_CPU_COUNTED =
  "the baseline server process, its PostgreSQL backends (found by application_name), and PostgreSQL's shared background processes (WAL writer, checkpointer, background writer, autovacuum)";

/**
 * The PostgreSQL baseline behind NestJS on Fastify (tools/bench/baseline/http-baseline-main.ts)
 * as its own process, a fresh schema per run, the same HTTP client as Stockade's arm. It answers
 * the decision, so accepted is terminal here.
 */
export function baselineHttpArm(options: BaselineArmOptions & { concurrency: number }): Arm {
  return {
    name: 'baseline-http',
    p99TargetMs: options.p99TargetMs,
    cpuCounted: BASELINE_CPU_COUNTED,
    durability: baselineDurability(options),
    async start(stock, runId) {
      const tables = baselineTables(runId);
      const applicationName = `bench-${runId}`;
      const admin = new Pool({ connectionString: options.postgresUrl, max: 2 });
      await createBaselineTables(admin, tables, stock);
      const env = baselineEnv({
        postgresUrl: options.postgresUrl,
        tables,
        connections: options.connections,
        applicationName,
        synchronousCommit: options.synchronousCommit,
        checkout: options.checkout,
      });
      const server = new ChildProcessSystem(
        tmpdir(),
        await freePort(),
        env,
        'tools/bench/baseline/http-baseline-main.js',
      );
      const cleanUp = async () => {
        await server.stop();
        await dropBaselineTables(admin, tables);
        await admin.end();
      };
      try {
        await server.start();
      } catch (error) {
        await cleanUp();
        throw error;
      }
      return {
        decidesOnAnswer: true,
        cpuSources: [
          processSource('baseline server', () => server.pid),
          options.postgres.backendsOf('postgres backends', applicationName),
          options.postgres.background('postgres background'),
        ],
        ingress: async (log) =>
          httpIngress(server.url, log, {
            closedLoopConcurrency: options.concurrency,
            maxSockets: Math.max(256, options.concurrency),
          }),
        // Every answer was a decision: once the loop has its answers, there is nothing to wait for.
        waitForDecisions: async () => undefined,
        observe: () => readBaselineState(admin, tables),
        peakRssMiB: () => ({ 'baseline server': server.peakMemoryMiB() }),
        stop: cleanUp,
      };
    },
  };
}

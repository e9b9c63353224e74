import { benchProgram, BenchOptions } from './bench-options';
import { buildArms } from './arms/build-arms';
import { runSession } from './bench-session';
import { measureHttpCeiling } from './http-ceiling';
import { PostgresProcesses } from './measure/postgres-processes';
import { benchChart } from './report/bench-chart';
import { formatCount, formatMs } from './report/format';
import { benchEnvironment, BenchEnvironment, describeEnvironment } from './report/environment';
import { gitRevision, machineInfo } from './report/machine';
import { reportBaseName, writeReport } from './report/report-json';
import { highestRateWithinTarget, summarizeRuns } from './report/summary';
import { figuresTable, RateWithinTarget, ratesTable } from './report/table';
import type { RunResult } from './run-arm';
import { measureTransportOverhead } from './transport-overhead';

/** `npm run bench -- --help`: the benchmark of issue 7, one command from the runs to the table, JSON and chart. */
async function main(): Promise<void> {
  const options = benchProgram.parse().opts<BenchOptions>();
  const startedAt = new Date();
  const postgres = await PostgresProcesses.connect(options.pgUrl);
  try {
    const arms = buildArms(options, postgres);
    const environment = await benchEnvironment(postgres, options.pgUrl, options.kafkaBrokers);
    printEnvironment(environment, arms);
    const pre = await preMeasurements(options);
    const results = await runSession(
      {
        arms,
        workloads: options.workloads,
        loops: options.loops,
        checkouts: options.checkouts,
        openSeconds: options.openSeconds,
        ...(options.rates ? { rates: options.rates } : {}),
        rateSteps: options.rateSteps,
        blocks: options.blocks,
        warmUp: options.warmUp,
        seed: options.seed,
        stallMs: options.stallSeconds * 1000,
      },
      printProgress,
    );
    const figures = summarizeRuns(results);
    const rates: RateWithinTarget[] = options.loops.includes('open')
      ? options.workloads.flatMap((workload) =>
          arms.map((arm) => ({
            workload,
            arm: arm.name,
            p99TargetMs: arm.p99TargetMs,
            ...highestRateWithinTarget(figures, workload, arm.name, arm.p99TargetMs),
          })),
        )
      : [];
    const pass = results.every((result) => result.pass);
    if (results.length > 0) {
      console.log(`\n${figuresTable(figures)}\n`);
      if (rates.length) console.log(`${ratesTable(rates)}\n`);
      for (const arm of arms) console.log(`CPU of ${arm.name}: ${arm.cpuCounted}.`);
    }
    if (options.write) {
      const { commit, dirty } = gitRevision();
      const machine = machineInfo(await postgres.version());
      const baseName = reportBaseName(startedAt, commit, dirty);
      const subtitle = `${startedAt.toISOString().slice(0, 10)}, ${commit}${dirty ? ' (dirty)' : ''}; ${machine.cores} × ${machine.cpuModel}; median of runs, A B B A blocks`;
      const svg = benchChart(
        'Stockade bench: decided checkouts/s and p99 accept → terminal per arm',
        subtitle,
        arms.map((arm) => arm.name),
        figures,
        rates,
      );
      const paths = writeReport(
        options.out,
        baseName,
        {
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          commit,
          dirty,
          command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
          options: { ...options },
          machine,
          cpuCounted: Object.fromEntries(arms.map((arm) => [arm.name, arm.cpuCounted])),
          durability: Object.fromEntries(arms.map((arm) => [arm.name, arm.durability])),
          environment,
          ...(pre ? { pre } : {}),
          figures,
          ratesWithinTarget: rates,
          runs: results,
          pass,
        },
        svg,
      );
      console.log(`\nWrote ${paths.json} and ${paths.svg}`);
    }
    if (!pass) {
      console.log(
        `\nFAIL: ${results.filter((result) => !result.pass).length} of ${results.length} runs failed the oracle or lost deliveries (above).`,
      );
      process.exitCode = 1;
    }
  } finally {
    await postgres.close();
  }
}

async function preMeasurements(options: BenchOptions): Promise<Record<string, unknown> | undefined> {
  const pre: Record<string, unknown> = {};
  if (options.ceiling) {
    pre.httpCeiling = await measureHttpCeiling(options.checkouts, options.concurrency);
    console.log(
      `HTTP ceiling (${options.checkouts} requests, ${options.concurrency} in flight): ${JSON.stringify(pre.httpCeiling)}`,
    );
  }
  if (options.transport) {
    pre.transport = [await measureTransportOverhead(100_000, 0), await measureTransportOverhead(100_000, 1)];
    console.log(`Nest transport overhead: ${JSON.stringify(pre.transport)}`);
  }
  return Object.keys(pre).length ? pre : undefined;
}

function printEnvironment(environment: BenchEnvironment, arms: readonly { name: string; durability: string }[]): void {
  for (const line of describeEnvironment(environment)) console.log(line);
  for (const arm of arms) console.log(`Durability of ${arm.name}: ${arm.durability}.`);
}

function printProgress(result: RunResult): void {
  const rate = result.loop === 'open' ? `open ${result.ratePerSecond}/s` : 'closed';
  const figures = `${formatCount(result.decidedPerSecond)}/s decided, p99 ${formatMs(result.latency.p99Ms)} ms, ${formatCount(result.cpuMicrosPerCheckout)} µs CPU/checkout (load client ${result.loadClientCpuSeconds} s)`;
  console.log(
    `[${result.workload}, ${rate}] ${result.arm} (${result.checkouts} checkouts): ${figures} — ${result.pass ? 'pass' : 'FAIL'}`,
  );
  if (result.failedDeliveries)
    console.log(`  FAIL ${result.failedDeliveries} deliveries refused, e.g. ${result.failureExamples.join('; ')}`);
  for (const failure of result.oracle.failures) console.log(`  FAIL ${failure}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

import { PostgresProcesses } from './measure/postgres-processes';
import { formatCount, formatMs } from './report/format';
import { gitRevision, machineInfo } from './report/machine';
import { reportBaseName } from './report/report-json';
import { CheckoutPublisher } from './shards/publish-checkouts';
import { runShards, ShardRunFigures, ShardRunPlan } from './shards/shard-run';
import { alternatingOrder, shardCheckouts, SkusByShard, skusByShard } from './shards/shard-workload';
import { startShardedStack } from './shards/sharded-stack';
import { parseShardsOptions, ShardsBenchOptions } from './shards/shards-options';
import { shardCells, shardsTable, writeShardsReport } from './shards/shards-report';
import { demandOf } from './workloads/workloads';

/**
 * `npm run bench:shards`: how sharded inventory (ADR 0020) scales with inventory-service processes,
 * and what a checkout spanning several shards costs, on the real distributed system. Each
 * instance count gets a fresh stack, so one configuration's caches and topics never help another.
 */
const LATENCY_MEASURED =
  "publish (the checkout handed to its produce request) → the terminal outcome's arrival at the bench's own consumer of order.events";

let stopCurrentStack: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  const options = parseShardsOptions();
  const startedAt = new Date();
  const skus = skusByShard(options.shards, options.skusPerShard);
  const runs: ShardRunFigures[] = [];
  for (const instances of options.instances) runs.push(...(await measureStack(options, instances, skus)));

  const cells = shardCells(runs);
  console.log(
    `\n${shardsTable(cells)}\n\nLatency: ${LATENCY_MEASURED}. Median of ${options.repeat} run(s) per cell; ${options.checkouts} checkouts per run, ${options.shards} shards.`,
  );
  if (options.out) {
    const { commit, dirty } = gitRevision();
    const path = writeShardsReport(options.out, reportBaseName(startedAt, commit, dirty), {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      commit,
      dirty,
      command: `npm run bench:shards -- ${process.argv.slice(2).join(' ')}`.trim(),
      options: { ...options },
      machine: machineInfo(await postgresVersion(options.pgUrl)),
      latencyMeasured: LATENCY_MEASURED,
      cells,
      runs,
    });
    console.log(`Wrote ${path}`);
  }
}

async function measureStack(
  options: ShardsBenchOptions,
  instances: number,
  skus: SkusByShard,
): Promise<ShardRunFigures[]> {
  const plans: ShardRunPlan[] = alternatingOrder(options.spans, options.repeat).map((spans, index) => {
    const round = Math.floor(index / options.spans.length) + 1;
    const prefix = `i${instances}-s${spans}-r${round}`;
    return {
      instances,
      spans,
      round,
      warmUp: shardCheckouts(`${prefix}-warm`, options.warmUp, spans, skus),
      measured: shardCheckouts(prefix, options.checkouts, spans, skus),
    };
  });
  // More than every run of the stack asks for: the bench measures decisions, not refusals.
  const stock = new Map(
    [...demandOf(plans.flatMap((plan) => [...plan.warmUp, ...plan.measured]))].map(([sku, units]) => [sku, units + 10]),
  );
  console.log(`${instances} inventory instance(s): starting a stack with ${options.shards} shards…`);
  const system = await startShardedStack(
    { pgUrl: options.pgUrl, kafkaBrokers: options.kafkaBrokers, shards: options.shards, instances, stock },
    (stop) => (stopCurrentStack = stop),
  );
  const publisher = new CheckoutPublisher(system.stack.kafka, system.stack.topic('checkout.requested'), options.batch);
  try {
    const runs: ShardRunFigures[] = [];
    for (const plan of plans) {
      const run = await runShards(system, publisher, plan, options.stallSeconds * 1000);
      printRun(run);
      runs.push(run);
    }
    return runs;
  } finally {
    await publisher.close().catch(() => undefined);
    await system.stop();
    stopCurrentStack = undefined;
  }
}

function printRun(run: ShardRunFigures): void {
  console.log(
    `  [${run.instances} instance(s), spans ${run.spans}, round ${run.round}] ${formatCount(run.checkoutsPerSecond)} checkouts/s, ${formatCount(run.partDecisionsPerSecond)} parts/s, ` +
      `p50 ${formatMs(run.latency.p50Ms)} ms, p99 ${formatMs(run.latency.p99Ms)} ms, CPU s/1k: inventory ${run.inventoryCpuSecondsPer1k.toFixed(2)}, order-service ${run.orderServiceCpuSecondsPer1k.toFixed(2)} ` +
      `(${run.completed}/${run.checkouts} completed in ${run.seconds} s, published in ${run.publishSeconds} s)`,
  );
  const { messages, events, commits } = run.perCheckout;
  const topics = Object.entries(messages)
    .map(([topic, count]) => `${topic} ${count}`)
    .join(', ');
  console.log(
    `    per checkout: messages ${topics}; events: inventory ${events.inventory}, orders ${events.ordering}; PostgreSQL commits ${commits}`,
  );
}

async function postgresVersion(pgUrl: string): Promise<string> {
  const postgres = await PostgresProcesses.connect(pgUrl);
  try {
    return await postgres.version();
  } finally {
    await postgres.close();
  }
}

// Ctrl-C must not leave services running or schemas behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the stack…`);
    void (stopCurrentStack?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  console.error(`FAIL: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

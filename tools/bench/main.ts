import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../client/child-process-system';
import { measureHttpCeiling } from './http-ceiling';
import { measureTransportOverhead } from './transport-overhead';
import { postBatches } from './http-batch-load';
import { percentile, postAll } from './http-load';
import { benchDistributed } from './distributed';
import { runPostgresBaseline } from './postgres-baseline';
import { histogramQuantile, waitForTerminalOrders } from './terminal-watch';
import { buildWorkload, WorkloadName } from './workloads';

const positiveInt = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
};

const program = new Command('stockade-bench')
  .description('Checkout accepted → terminal throughput of the embedded Stockade over HTTP, and the PostgreSQL baseline it must beat.')
  .addOption(new Option('--scenario <name>', 'workload').choices(['hot-sku', 'uniform-mix', 'all', 'none']).default('all'))
  .option('--checkouts <n>', 'checkouts per scenario', positiveInt, 20_000)
  .option('--concurrency <n>', 'HTTP requests in flight', positiveInt, 128)
  .option('--batch <n>', 'embedded: post the checkouts as NDJSON batches of this many (the batch ingress), 8 requests in flight', positiveInt, 1)
  .addOption(new Option('--mode <mode>', 'embedded app over HTTP, or the distributed services on Kafka (needs KAFKA_BROKERS, e.g. after tools/kafka/kafka.sh start)').choices(['embedded', 'distributed']).default('embedded'))
  .option('--baseline', 'also run the one-transaction-per-checkout PostgreSQL baseline')
  .option('--ceiling', 'first measure the HTTP ceiling: a bare node:http server and Stockade refusing invalid checkouts, with the same client')
  .option('--transport', 'first measure the CPU per message of the Nest transport over the bus (in memory, no-op handler), against the bus alone')
  .option('--pg-url <url>', 'PostgreSQL for the baseline', process.env.STOCKADE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
  .option('--pg-concurrency <n>', 'baseline connections', positiveInt, 16)
  .parse();

interface Options {
  mode: 'embedded' | 'distributed';
  scenario: WorkloadName | 'all' | 'none';
  checkouts: number;
  concurrency: number;
  batch: number;
  baseline?: boolean;
  ceiling?: boolean;
  transport?: boolean;
  pgUrl: string;
  pgConcurrency: number;
}

async function benchStockade(name: WorkloadName, options: Options) {
  const workload = buildWorkload(name, options.checkouts);
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-bench-'));
  const server = new ChildProcessSystem(dataDir, await freePort(), { STOCKADE_LOG_LEVEL: 'error' });
  await server.start();
  try {
    const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    for (const [sku, quantity] of workload.stock) {
      const { failures } = await postAll(server.url, `/inventory/${sku}/receipts`, [{ quantity }], 1, auth);
      if (failures) throw new Error(`seeding ${sku} failed`);
    }
    const cpuAtStart = server.cpuSeconds();
    const load =
      options.batch > 1
        ? await postBatches(server.url, '/checkouts', workload.checkouts, options.batch, 8)
        : await postAll(server.url, '/checkouts', workload.checkouts, options.concurrency);
    // Accept latency includes waiting out 503s (back-pressure); it is the publisher's view.
    const started = performance.now() - load.seconds * 1000;
    const done = await waitForTerminalOrders(server.url, workload.checkouts.length, 600_000);
    const cpuAtEnd = server.cpuSeconds();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    return {
      scenario: name,
      checkouts: workload.checkouts.length,
      ...(options.batch > 1 ? { batchSize: options.batch } : {}),
      failures: load.failures,
      retriedAfter503: load.retries,
      acceptedPerSecond: Math.round(workload.checkouts.length / load.seconds),
      acceptToTerminalPerSecond: Math.round(workload.checkouts.length / ((done.at - started) / 1000)),
      acceptP50Ms: Math.round(percentile(load.latenciesMs, 50) * 10) / 10,
      acceptP99Ms: Math.round(percentile(load.latenciesMs, 99) * 10) / 10,
      checkoutToTerminalP50Le: histogramQuantile(metrics, 'stockade_checkout_to_terminal_seconds', 0.5),
      checkoutToTerminalP99Le: histogramQuantile(metrics, 'stockade_checkout_to_terminal_seconds', 0.99),
      outcomes: done.byStatus,
      serverPeakMemoryMiB: server.peakMemoryMiB(),
      // All of the server's threads, from the first POST until every order was terminal (a few /metrics polls included).
      serverCpuMsPerCheckout: cpuAtStart === undefined || cpuAtEnd === undefined ? undefined : Math.round(((cpuAtEnd - cpuAtStart) * 1000 * 1000) / workload.checkouts.length) / 1000,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = program.opts<Options>();
  if (options.ceiling) {
    console.log(`\n## HTTP ceiling: ${options.checkouts} requests, ${options.concurrency} in flight`);
    console.log(JSON.stringify(await measureHttpCeiling(options.checkouts, options.concurrency), null, 2));
  }
  if (options.transport) {
    for (const waitMs of [0, 1]) {
      console.log(`\n## Nest transport overhead: 100000 messages, in-memory bus, handlers waiting ${waitMs} ms`);
      console.log(JSON.stringify(await measureTransportOverhead(100_000, waitMs), null, 2));
    }
  }
  const scenarios: WorkloadName[] = options.scenario === 'all' ? ['hot-sku', 'uniform-mix'] : options.scenario === 'none' ? [] : [options.scenario];
  for (const scenario of scenarios) {
    console.log(`\n## ${scenario} (${options.mode}): ${options.checkouts} checkouts`);
    const result = options.mode === 'distributed' ? await benchDistributed(scenario, options.checkouts) : await benchStockade(scenario, options);
    console.log(JSON.stringify(result, null, 2));
    if (options.baseline) {
      const baseline = await runPostgresBaseline(buildWorkload(scenario, options.checkouts), { connectionString: options.pgUrl, concurrency: options.pgConcurrency });
      console.log(`PostgreSQL baseline (${options.pgConcurrency} connections): ${Math.round(baseline.checkoutsPerSecond)} checkouts/s (${baseline.completed} completed, ${baseline.rejected} rejected)`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

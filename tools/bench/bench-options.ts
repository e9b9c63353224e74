import { Command, InvalidArgumentError, Option } from 'commander';
import { ARM_NAMES, type ArmName } from './arms/arm';
import { BASELINE_CHECKOUTS, type BaselineCheckoutKind } from './baseline/baseline-checkout';
import type { Loop } from './run-arm';
import { WORKLOAD_NAMES, WorkloadName } from './workloads/workloads';

export interface BenchOptions {
  arms: ArmName[];
  workloads: WorkloadName[];
  loops: Loop[];
  checkouts: number;
  openSeconds: number;
  rates?: number[];
  rateSteps: number;
  blocks: number;
  warmUp: number;
  concurrency: number;
  batch: number;
  p99TargetMs: number;
  p99TargetDistributedMs: number;
  seed: number;
  stallSeconds: number;
  pgUrl: string;
  pgConnections: number;
  baselineSynchronousCommit: 'match' | 'on' | 'off';
  baselineCheckout: BaselineCheckoutKind;
  durable: boolean;
  kafkaBrokers?: string;
  out: string;
  write: boolean;
  ceiling?: boolean;
  transport?: boolean;
}

const positiveInt = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
};

const wholeNumber = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
};

const listOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T[] => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const unknown = items.filter((item) => !allowed.includes(item as T));
    if (unknown.length || items.length === 0)
      throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(', ')}`);
    return items as T[];
  };

const rateList = (value: string) => value.split(',').map((item) => positiveInt(item.trim()));

export const benchProgram = new Command('stockade-bench')
  .description(
    'Stockade against the PostgreSQL baseline on the same pre-generated orders, arms alternating in A B B A blocks: ' +
      'closed loop for the maximum rate, open loop at fixed arrival rates for the highest rate whose p99 (accept → terminal) stays within target. ' +
      'Every run is checked by an oracle (no oversell, every checkout decided exactly once); a failed run prints FAIL and the bench exits 1. ' +
      'Prints a table, writes <date>-<commit>.json and .svg under --out.',
  )
  .addOption(
    new Option(
      '--arms <list>',
      `arms to compare: ${ARM_NAMES.join(', ')} (distributed and baseline-kafka need a broker: --kafka-brokers)`,
    )
      .argParser(listOf(ARM_NAMES))
      .default(['embedded', 'baseline-http'], 'embedded,baseline-http'),
  )
  .addOption(
    new Option('--workloads <list>', `workloads: ${WORKLOAD_NAMES.join(', ')}; none: only --ceiling or --transport`)
      .argParser((value) =>
        listOf([...WORKLOAD_NAMES, 'none'] as const)(value).filter((name): name is WorkloadName => name !== 'none'),
      )
      .default([...WORKLOAD_NAMES], WORKLOAD_NAMES.join(',')),
  )
  .addOption(
    new Option('--loops <list>', 'closed (as fast as the ingress takes checkouts in), open (fixed arrival rates)')
      .argParser(listOf(['closed', 'open'] as const))
      .default(['closed', 'open'], 'closed,open'),
  )
  .option('--checkouts <n>', 'checkouts per closed-loop run, and the most per open-loop run', positiveInt, 20_000)
  .option('--open-seconds <s>', 'an open-loop run sends rate × this many checkouts (at least 200)', positiveInt, 20)
  .option(
    '--rates <list>',
    "open-loop arrival rates, checkouts/s (default: a ladder from a tenth of the slowest arm's closed-loop rate to the fastest's)",
    rateList,
  )
  .option('--rate-steps <n>', 'rates in the default ladder', positiveInt, 6)
  .option('--blocks <n>', 'A B B A blocks per workload and rate (each arm runs twice per block)', positiveInt, 1)
  .option(
    '--warm-up <n>',
    'checkouts each run sends and waits for before measuring, on SKUs of their own (0: none)',
    wholeNumber,
    500,
  )
  .option('--concurrency <n>', 'closed loop: HTTP requests in flight', positiveInt, 128)
  .option(
    '--batch <n>',
    'embedded-batch arm: checkouts per NDJSON request (8 requests in flight in the closed loop)',
    positiveInt,
    500,
  )
  .option(
    '--p99-target-ms <ms>',
    'open-loop p99 target of the HTTP arms (embedded, embedded-batch, baseline-http)',
    positiveInt,
    10,
  )
  .option(
    '--p99-target-distributed-ms <ms>',
    'open-loop p99 target of the Kafka arms (distributed, baseline-kafka)',
    positiveInt,
    50,
  )
  .option('--seed <n>', 'seed of the generated orders', wholeNumber, 7)
  .option(
    '--stall-seconds <s>',
    'stop waiting for decisions after this long without a new one (the oracle then fails the run)',
    positiveInt,
    60,
  )
  .option(
    '--pg-url <url>',
    'PostgreSQL of the baselines (and of the distributed arm, through STOCKADE_POSTGRES_URL)',
    process.env.STOCKADE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  )
  .option('--pg-connections <n>', 'baseline connections (pool size)', positiveInt, 16)
  .addOption(
    new Option(
      '--baseline-synchronous-commit <mode>',
      "baseline durability: match = off for baseline-http (like embedded SQLite's synchronous=NORMAL), on for baseline-kafka (like the distributed event store)",
    )
      .choices(['match', 'on', 'off'])
      .default('match'),
  )
  .addOption(
    new Option(
      '--baseline-checkout <kind>',
      'how the baselines decide a checkout: function = one round trip to a PL/pgSQL function by prepared statement; transaction = BEGIN, INSERT, one UPDATE per line, COMMIT (issue 7)',
    )
      .choices([...BASELINE_CHECKOUTS])
      .default('function'),
  )
  .option(
    '--durable',
    'the durable row: both sides fsync every commit, embedded SQLite with synchronous=FULL (STOCKADE_SQLITE_SYNCHRONOUS=full) and the baselines with synchronous_commit=on (overrides --baseline-synchronous-commit); run it on --workloads single-sku',
    false,
  )
  .option(
    '--kafka-brokers <list>',
    'Kafka for the distributed arms (e.g. after tools/kafka/kafka.sh start)',
    process.env.KAFKA_BROKERS,
  )
  .option('--out <dir>', 'where the JSON and SVG of the run go', 'docs/bench')
  .option('--no-write', 'print the table only (development runs)')
  .option(
    '--ceiling',
    'first measure the HTTP ceiling: a bare node:http server and Stockade refusing invalid checkouts, with the same client',
  )
  .option('--transport', 'first measure the CPU per message of the Nest transport over the bus, against the bus alone');

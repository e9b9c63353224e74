import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { CheckoutRequest } from '@stockade/contracts';
import { wholeNumber } from '../client/cli-numbers';
import { runClosedLoop } from './load/closed-loop';
import { IngressLog } from './load/ingress';
import { PostgresProcesses } from './measure/postgres-processes';
import { receiveStock } from './arms/stockade-stock';
import { benchEnvironment, describeEnvironment } from './report/environment';
import { formatCount } from './report/format';
import { gitRevision, machineInfo } from './report/machine';
import { reportBaseName } from './report/report-json';
import { runPacedLoop } from './soak/paced-loop';
import { sampleProcess } from './soak/process-memory';
import { startDistributedSoak, startEmbeddedSoak, SoakSystem } from './soak/soak-system';
import { memoryVerdicts, SoakSample } from './soak/soak-verdict';
import { soakCheckouts, soakStock } from './soak/soak-workload';

const positiveNumber = (value: string) => {
  const parsed = Number(value);
  if (!(parsed > 0)) throw new InvalidArgumentError('must be a positive number');
  return parsed;
};
const fraction = (value: string) => {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed <= 1)) throw new InvalidArgumentError('must be above 0 and at most 1');
  return parsed;
};

interface SoakOptions {
  distributed: boolean;
  minutes: number;
  rate?: number;
  maxRate?: number;
  fraction: number;
  measureCheckouts: number;
  sampleSeconds: number;
  referenceMinute: number;
  seed: number;
  pgUrl: string;
  kafkaBrokers?: string;
  out: string;
  write: boolean;
}

const program = new Command('stockade-soak')
  .description(
    'Memory soak (issue 22): runs Stockade (embedded by default, --distributed for the four services on Kafka, PostgreSQL and Redis) ' +
      "at a fraction of its maximum rate in an open loop for a given time, samples every process's RSS and each thread's V8 heap " +
      '(the embedded inventory worker thread reports its own), and judges RSS in the last minute against minute 5 (+10% at most). ' +
      'Writes <date>-<commit>-soak.json under --out.',
  )
  .option('--distributed', 'soak the distributed stack instead (needs --kafka-brokers, PostgreSQL and Redis)', false)
  .option('--minutes <m>', 'how long the traffic runs (decimals allowed: 1 is 60 s)', positiveNumber, 30)
  .option(
    '--rate <n>',
    'checkouts per second; default: --fraction of --max-rate, or of a maximum measured first',
    positiveNumber,
  )
  .option(
    '--max-rate <n>',
    "the maximum rate, if known (e.g. the bench's closed-loop figure): no measurement first",
    positiveNumber,
  )
  .option('--fraction <f>', 'share of the maximum rate to run at', fraction, 0.5)
  .option(
    '--measure-checkouts <n>',
    'checkouts of the closed-loop burst that measures the maximum rate (when neither --rate nor --max-rate is given)',
    wholeNumber(100),
    5_000,
  )
  .option('--sample-seconds <s>', 'seconds between two samples', positiveNumber, 15)
  .option('--reference-minute <m>', 'the minute whose RSS the last minute is judged against', wholeNumber(1), 5)
  .option('--seed <n>', 'seed of the generated orders', wholeNumber(0), 7)
  .option(
    '--pg-url <url>',
    'PostgreSQL of the distributed stack (and whose settings the report records)',
    process.env.STOCKADE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  )
  .option(
    '--kafka-brokers <list>',
    'Kafka for --distributed (e.g. after tools/kafka/kafka.sh start)',
    process.env.KAFKA_BROKERS,
  )
  .option('--out <dir>', 'where the JSON goes', 'docs/bench')
  .option('--no-write', 'print only');

async function main(): Promise<void> {
  const options = program.parse().opts<SoakOptions>();
  if (options.distributed && !options.kafkaBrokers)
    throw new Error('--distributed needs a broker: --kafka-brokers or KAFKA_BROKERS');
  const startedAt = new Date();
  const runId = startedAt.getTime().toString(36);
  const postgres = await PostgresProcesses.connect(options.pgUrl).catch(() => undefined);
  const environment = await benchEnvironment(
    postgres,
    options.pgUrl,
    options.distributed ? options.kafkaBrokers : undefined,
  );
  await postgres?.close();
  describeEnvironment(environment).forEach((line) => console.log(line));

  const system = options.distributed
    ? await startDistributedSoak(options.pgUrl, options.kafkaBrokers as string)
    : await startEmbeddedSoak();
  try {
    const checkoutAt = soakCheckouts(options.seed, runId);
    const measuring = options.rate === undefined && options.maxRate === undefined;
    const planned = options.rate ?? (options.maxRate ?? 0) * options.fraction;
    // Stock for the measured burst and for the soak at up to the rate asked (a measured maximum is bounded by 20,000/s here).
    const stockFor =
      (measuring ? options.measureCheckouts : 0) +
      Math.ceil((measuring ? 20_000 * options.fraction : planned) * options.minutes * 60);
    await receiveStock(system.client, soakStock(stockFor));

    let index = 0;
    const next = () => checkoutAt(index++);
    const maxRate =
      options.maxRate ?? (measuring ? await measureMaximum(system, options.measureCheckouts, next) : undefined);
    const rate = Math.max(1, Math.round(options.rate ?? (maxRate as number) * options.fraction));
    const how =
      options.rate !== undefined
        ? 'given'
        : measuring
          ? 'fraction of the measured maximum'
          : 'fraction of the given maximum';
    const checkouts = Math.round(rate * options.minutes * 60);
    console.log(
      `Soak of the ${system.kind} system: ${formatCount(rate)} checkouts/s (${how}${maxRate ? `, maximum ${formatCount(maxRate)}/s` : ''}) for ${options.minutes} min, ${formatCount(checkouts)} checkouts, a sample every ${options.sampleSeconds} s.`,
    );

    const { samples, log, decidedAtEnd, loadClientCpuSeconds } = await soak(
      system,
      rate,
      checkouts,
      options.sampleSeconds,
      next,
    );
    const verdicts = memoryVerdicts(samples, { referenceMinute: options.referenceMinute });
    console.log('');
    for (const verdict of verdicts)
      console.log(`${verdict.process}: ${verdict.why}${verdict.pass === false ? ' — FAIL' : ''}`);
    const last = samples.at(-1);
    for (const [process, sample] of Object.entries(last?.processes ?? {})) {
      for (const [thread, heap] of Object.entries(sample.threads))
        console.log(
          `  ${process} ${thread} thread: heap ${heap.heapUsedMiB} MiB used of ${heap.heapTotalMiB} MiB at the end`,
        );
    }
    if (decidedAtEnd < checkouts)
      console.log(
        `\nThe system did not keep up: ${formatCount(decidedAtEnd)} of ${formatCount(checkouts)} decided ${DRAIN_MS / 1000} s after the traffic ended; read the memory as under overload.`,
      );
    const pass = verdicts.every((verdict) => verdict.pass === true)
      ? true
      : verdicts.some((verdict) => verdict.pass === false)
        ? false
        : undefined;

    if (options.write) {
      const { commit, dirty } = gitRevision();
      mkdirSync(options.out, { recursive: true });
      const path = join(options.out, `${reportBaseName(startedAt, commit, dirty)}-soak.json`);
      const report = {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        commit,
        dirty,
        command: `npm run bench:soak -- ${process.argv.slice(2).join(' ')}`.trim(),
        options: { ...options },
        machine: machineInfo(),
        environment,
        system: system.kind,
        rate: { perSecond: rate, how, ...(maxRate ? { maxPerSecond: maxRate, fraction: options.fraction } : {}) },
        checkouts,
        answered: log.answers,
        failedDeliveries: log.failures,
        failureExamples: log.failureExamples,
        decidedAtEnd,
        loadClientCpuSeconds,
        samples,
        verdicts,
        // null: the run was too short to judge.
        pass: pass ?? null,
      };
      writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\nWrote ${path}`);
    }
    if (pass === false || log.failures > 0) process.exitCode = 1;
  } finally {
    await system.stop();
  }
}

/** The closed loop on `count` checkouts; the maximum is decided checkouts per second, from the first send to the count reaching them all (polled every 200 ms). */
async function measureMaximum(system: SoakSystem, count: number, next: () => CheckoutRequest): Promise<number> {
  const before = await system.decided();
  const log = new IngressLog({ rememberAnswers: false });
  const ingress = await system.ingress(log);
  const started = performance.now();
  await runClosedLoop(ingress, Array.from({ length: count }, next));
  await ingress.close();
  let decided = before;
  while (decided < before + count && performance.now() - started < 600_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    decided = await system.decided();
  }
  const perSecond = Math.round((decided - before) / ((performance.now() - started) / 1000));
  console.log(
    `Maximum measured: ${formatCount(perSecond)} checkouts/s (${formatCount(decided - before)} decided in the closed loop).`,
  );
  return perSecond;
}

/** How long the last sample waits for the checkouts still in flight when the traffic ends. */
const DRAIN_MS = 15_000;

/** The soak itself: the paced loop, and a sample of every process every `sampleSeconds` (and one when it starts and one when it ends). */
async function soak(
  system: SoakSystem,
  rate: number,
  checkouts: number,
  sampleSeconds: number,
  next: () => CheckoutRequest,
) {
  const log = new IngressLog({ rememberAnswers: false });
  const ingress = await system.ingress(log);
  const clientCpuAtStart = process.cpuUsage();
  const samples: SoakSample[] = [];
  const decidedBefore = await system.decided();
  let sent = 0;
  const started = performance.now();
  const takeSample = async () => {
    const atSeconds = Math.round((performance.now() - started) / 100) / 10;
    const processes = Object.fromEntries(
      await Promise.all(system.processes.map(async (process) => [process.name, await sampleProcess(process)] as const)),
    );
    const sample: SoakSample = { atSeconds, sent, decided: (await system.decided()) - decidedBefore, processes };
    samples.push(sample);
    const memory = Object.entries(processes).map(
      ([name, p]) =>
        `${name} ${p.rssMiB ?? '?'} MiB${
          Object.keys(p.threads).length
            ? ` (${Object.entries(p.threads)
                .map(([thread, heap]) => `${thread} heap ${heap.heapUsedMiB}`)
                .join(', ')})`
            : ''
        }`,
    );
    console.log(
      `[${atSeconds} s] sent ${formatCount(sample.sent)}, decided ${formatCount(sample.decided)}; RSS ${memory.join('; ')}`,
    );
  };
  await takeSample();
  let sampling = Promise.resolve();
  const timer = setInterval(() => (sampling = sampling.then(takeSample, takeSample)), sampleSeconds * 1000);
  try {
    await runPacedLoop(ingress, checkouts, rate, next, (count) => (sent = count));
  } finally {
    clearInterval(timer);
    await sampling;
    await ingress.close();
  }
  // What was sent last is still in flight: the last sample waits for it (at most DRAIN_MS).
  const drainUntil = performance.now() + DRAIN_MS;
  while ((await system.decided()) - decidedBefore < checkouts && performance.now() < drainUntil)
    await new Promise((resolve) => setTimeout(resolve, 250));
  await takeSample();
  const clientCpu = process.cpuUsage(clientCpuAtStart);
  return {
    samples,
    log,
    decidedAtEnd: samples.at(-1)?.decided ?? 0,
    loadClientCpuSeconds: Math.round((clientCpu.user + clientCpu.system) / 1000) / 1000,
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

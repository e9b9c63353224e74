import { Command } from 'commander';
import { wholeNumber } from '../client/cli-numbers';
import { writeFileSync } from 'node:fs';
import { runChaos } from './chaos-run';

const whole = wholeNumber(1);

const program = new Command('stockade-chaos')
  .description(
    'The fault harness: the distributed system under load while faults are injected one at a time; then 0 oversold, 0 lost, 0 duplicated, 0 leaked, and the recovery time of each fault.',
  )
  .option('--duration <s>', 'seconds of load and faults', whole, 60)
  .option('--faults <n>', 'at most this many faults', whole, 1_000)
  .option('--rate <n>', 'checkouts per second (half Kafka, half HTTP)', whole, 20)
  .option('--seed <n>', 'seed of the fault order and the load', whole, 7)
  .option(
    '--only <prefixes>',
    'only faults whose name starts with one of these (comma-separated), e.g. "kill -9,broker"',
  )
  .option('--kafka-port <port>', "port of the harness's own broker", whole, 19892)
  .option('--session-timeout <ms>', "the services' KAFKA_SESSION_TIMEOUT_MS", whole, 6_000)
  .option('--json <file>', 'also write the report as JSON');

async function main(): Promise<void> {
  const options = program.parse().opts<{
    duration: number;
    faults: number;
    rate: number;
    seed: number;
    only?: string;
    kafkaPort: number;
    sessionTimeout: number;
    json?: string;
  }>();
  const report = await runChaos({
    durationS: options.duration,
    maxFaults: options.faults,
    rate: options.rate,
    seed: options.seed,
    kafkaPort: options.kafkaPort,
    sessionTimeoutMs: options.sessionTimeout,
    ...(options.only ? { only: options.only.split(',').map((prefix) => prefix.trim()) } : {}),
    say: (line) => console.log(line),
  });
  console.log('\nper fault: how long it lasted / then the first outcome / the backlog drained (ms):');
  for (const fault of report.faults) {
    console.log(
      `  ${fault.fault.padEnd(44)} ${String(fault.faultMs).padStart(6)} / ${String(fault.firstOutcomeMs ?? '∞').padStart(6)} / ${String(fault.backlogDrainedMs ?? '∞').padStart(6)}`,
    );
  }
  for (const restart of report.consumerRestarts) console.log(`consumer restarted: ${restart}`);
  for (const finding of report.findings) console.log(`finding: ${finding}`);
  console.log(report.summary);
  if (options.json) writeFileSync(options.json, JSON.stringify(report, null, 2));
  if (report.oversold + report.lost + report.duplicated + report.leaked + report.deadLettered > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import type { BenchOptions } from '../bench-options';
import type { PostgresProcesses } from '../measure/postgres-processes';
import type { Arm, ArmName } from './arm';
import { baselineHttpArm } from './baseline-http-arm';
import { baselineKafkaArm } from './baseline-kafka-arm';
import { brokerPidFor } from './broker-pid';
import { distributedArm } from './distributed-arm';
import { embeddedArm } from './embedded-arm';

/**
 * The arms the options ask for, each with its p99 target (the HTTP arms one, the Kafka arms the
 * other) and its durability: matched by default (embedded SQLite synchronous=NORMAL against
 * baseline-http's synchronous_commit=off), an fsync per commit on both sides with `--durable`.
 */
export function buildArms(options: BenchOptions, postgres: PostgresProcesses): Arm[] {
  const baseline = {
    postgresUrl: options.pgUrl,
    postgres,
    connections: options.pgConnections,
    checkout: options.baselineCheckout,
  };
  const synchronousCommit = (matching: boolean) =>
    options.durable
      ? true
      : options.baselineSynchronousCommit === 'match'
        ? matching
        : options.baselineSynchronousCommit === 'on';
  const kafka = () => {
    if (!options.kafkaBrokers)
      throw new Error(
        'the distributed arms need a broker: set KAFKA_BROKERS or --kafka-brokers (e.g. after tools/kafka/kafka.sh start)',
      );
    return {
      brokers: options.kafkaBrokers,
      brokerPid: brokerPidFor(options.kafkaBrokers),
      p99TargetMs: options.p99TargetDistributedMs,
    };
  };
  const build: Record<ArmName, () => Arm> = {
    embedded: () =>
      embeddedArm({ concurrency: options.concurrency, p99TargetMs: options.p99TargetMs, durable: options.durable }),
    'embedded-batch': () =>
      embeddedArm({
        concurrency: options.concurrency,
        batch: options.batch,
        p99TargetMs: options.p99TargetMs,
        durable: options.durable,
      }),
    'embedded-logged': () =>
      embeddedArm({
        concurrency: options.concurrency,
        p99TargetMs: options.p99TargetMs,
        durable: options.durable,
        logged: true,
      }),
    'baseline-http': () =>
      baselineHttpArm({
        ...baseline,
        concurrency: options.concurrency,
        synchronousCommit: synchronousCommit(false),
        p99TargetMs: options.p99TargetMs,
      }),
    distributed: () => distributedArm({ ...baseline, ...kafka() }),
    'baseline-kafka': () => baselineKafkaArm({ ...baseline, ...kafka(), synchronousCommit: synchronousCommit(true) }),
  };
  return options.arms.map((name) => build[name]());
}

import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { logLevel } from 'kafkajs';
import type { KafkaMessageBusOptions } from '@stockade/messaging/kafka';

/**
 * What the nest-bus Kafka specs share: where the broker is, the bus settings they run with and
 * the check that the broker is there. Mirrors libs/messaging/src/kafka/kafka-message-bus.int.spec.ts
 * so that the transport is tested on the same bus configuration as the adapter underneath it.
 */
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A Kafka group joins and fetches far more slowly than the embedded log; a crash also waits out a session timeout. */
export const KAFKA_TEST_TIMEOUT_MS = 60_000;

/**
 * Three partitions (tests assume no partition count) and short group timings: the broker's
 * minimum session timeout, so a member killed with SIGKILL leaves its group after ~6 s, quick
 * heartbeats and short fetch waits, so close() is quick.
 */
export function kafkaBusOptions(overrides: Partial<KafkaMessageBusOptions> = {}): KafkaMessageBusOptions {
  return {
    brokers: KAFKA_BROKERS,
    clientId: `stockade-nest-bus-test-${randomUUID()}`,
    logLevel: logLevel.ERROR,
    partitions: 3,
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 10_000, maxWaitTimeMs: 100 },
    ...overrides,
  };
}

/** The broker may be shared by other runs: every test uses topics and groups of its own. */
export function randomTopic(): string {
  return `nest-bus-${randomUUID()}`;
}

export function randomGroup(): string {
  return `nest-bus-group-${randomUUID()}`;
}

/**
 * For `beforeAll`: no broker must fail the run loudly, since a skipped or vacuous Kafka suite
 * would hide a broken transport.
 */
export async function failUnlessBrokerReachable(): Promise<void> {
  const [host, port] = (KAFKA_BROKERS[0] ?? '').split(':');
  const socket = new Socket().setTimeout(2_000);
  const reachable = await new Promise<boolean>((resolve) => {
    socket
      .once('connect', () => resolve(true))
      .once('error', () => resolve(false))
      .once('timeout', () => resolve(false));
    socket.connect(Number(port), host || '127.0.0.1');
  }).finally(() => socket.destroy());
  if (!reachable) {
    throw new Error(
      `No Kafka broker at ${KAFKA_BROKERS.join(',')} (KAFKA_BROKERS). Start one with \`tools/kafka/kafka.sh start\` ` +
        '(see tools/kafka/README.md), then run KAFKA_BROKERS=127.0.0.1:9092 npx jest --selectProjects nest-bus.',
    );
  }
}

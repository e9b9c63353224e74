import { tmpdir } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { ChildProcessSystem, freePort } from '../../client/child-process-system';
import { baselineEnv } from '../baseline/baseline-config';
import {
  baselineTables,
  createBaselineTables,
  dropBaselineTables,
  readBaselineState,
} from '../baseline/baseline-store';
import { kafkaIngress } from '../load/kafka-ingress';
import { processSource } from '../measure/cpu-meter';
import type { Arm } from './arm';
import { waitForCount } from './arm';
import { BASELINE_CPU_COUNTED, BaselineArmOptions, baselineDurability } from './baseline-http-arm';
import { brokerSources, KafkaArmOptions } from './distributed-arm';
import { OutcomeWatcher } from './outcome-watcher';

/** Partitions of the baseline's topics: the distributed stack's KAFKA_TOPIC_PARTITIONS. */
const PARTITIONS = 4;

/**
 * The PostgreSQL baseline fed from Kafka (tools/bench/baseline/kafka-baseline-main.ts): the same
 * checkout as the HTTP baseline, its decisions published to an outcomes topic and timestamped on
 * arrival by the same watcher as Stockade's order.events. Fresh topics and tables per run.
 */
export function baselineKafkaArm(options: BaselineArmOptions & KafkaArmOptions): Arm {
  return {
    name: 'baseline-kafka',
    p99TargetMs: options.p99TargetMs,
    cpuCounted: `${BASELINE_CPU_COUNTED}, and the Kafka broker when its pid file is found`,
    durability: `${baselineDurability(options)}; outcomes published with acks from every in-sync replica`,
    async start(stock, runId) {
      const tables = baselineTables(runId);
      const applicationName = `bench-${runId}`;
      const topics = { checkouts: `bench-${runId}.checkouts`, outcomes: `bench-${runId}.outcomes` };
      const kafka = new Kafka({
        clientId: `bench-${runId}`,
        brokers: options.brokers.split(','),
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      const pool = new Pool({ connectionString: options.postgresUrl, max: 2 });
      const env = {
        ...baselineEnv({
          postgresUrl: options.postgresUrl,
          tables,
          connections: options.connections,
          applicationName,
          synchronousCommit: options.synchronousCommit,
          checkout: options.checkout,
        }),
        KAFKA_BROKERS: options.brokers,
        BASELINE_CHECKOUT_TOPIC: topics.checkouts,
        BASELINE_OUTCOME_TOPIC: topics.outcomes,
      };
      const server = new ChildProcessSystem(
        tmpdir(),
        await freePort(),
        env,
        'tools/bench/baseline/kafka-baseline-main.js',
      );
      const watcher = new OutcomeWatcher(kafka, topics.outcomes);
      const cleanUp = async () => {
        await server.stop();
        await watcher.stop();
        await admin.deleteTopics({ topics: [topics.checkouts, topics.outcomes] }).catch(() => undefined);
        await admin.disconnect();
        await dropBaselineTables(pool, tables);
        await pool.end();
      };
      try {
        await createBaselineTables(pool, tables, stock);
        await admin.connect();
        await admin.createTopics({
          waitForLeaders: true,
          topics: [topics.checkouts, topics.outcomes].map((topic) => ({
            topic,
            numPartitions: PARTITIONS,
            replicationFactor: 1,
          })),
        });
        await watcher.start();
        await server.start();
      } catch (error) {
        await cleanUp();
        throw error;
      }
      return {
        decidesOnAnswer: false,
        cpuSources: [
          processSource('baseline consumer', () => server.pid),
          options.postgres.backendsOf('postgres backends', applicationName),
          options.postgres.background('postgres background'),
          ...brokerSources(options.brokerPid),
        ],
        ingress: (log) => kafkaIngress(kafka, topics.checkouts, log),
        waitForDecisions: (total, stallMs) => waitForCount(async () => watcher.decidedCount, total, stallMs),
        observe: async () => ({
          decisions: watcher.decisions,
          stockAfter: (await readBaselineState(pool, tables)).stockAfter,
        }),
        peakRssMiB: () => ({ 'baseline consumer': server.peakMemoryMiB() }),
        stop: cleanUp,
      };
    },
  };
}

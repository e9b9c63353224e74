import { DistributedStack } from '../../client/distributed-stack';
import { kafkaIngress } from '../load/kafka-ingress';
import { CpuSource, processSource } from '../measure/cpu-meter';
import { PostgresProcesses, withApplicationName } from '../measure/postgres-processes';
import type { Arm } from './arm';
import { waitForCount } from './arm';
import { OutcomeWatcher } from './outcome-watcher';
import { readStock, receiveStock } from './stockade-stock';

export interface KafkaArmOptions {
  /** The broker (`--kafka-brokers`): the stack's services and the bench's clients all use it. */
  readonly brokers: string;
  readonly postgresUrl: string;
  readonly postgres: PostgresProcesses;
  readonly p99TargetMs: number;
  /** The broker's pid, when known: its CPU counts for the Kafka arms. */
  readonly brokerPid: number | undefined;
}

export function brokerSources(brokerPid: number | undefined): CpuSource[] {
  return brokerPid === undefined ? [] : [processSource('kafka broker', () => brokerPid)];
}

/**
 * Stockade distributed (tools/client/distributed-stack.ts): provision-topics, then
 * inventory-service, order-service, cart-service and the gateway as processes on Kafka,
 * PostgreSQL and Redis, fresh topics and schemas per run. Checkouts go in on the upstream
 * checkout topic; terminal is when the outcome arrives on order.events at a plain consumer.
 */
export function distributedArm(options: KafkaArmOptions): Arm {
  return {
    name: 'distributed',
    p99TargetMs: options.p99TargetMs,
    durability:
      "PostgreSQL event stores with the server's own synchronous_commit (the report's postgres.settings); Kafka acks from every in-sync replica",
    cpuCounted:
      "the four Stockade service processes, their PostgreSQL backends (by application_name), PostgreSQL's shared background processes, and the Kafka broker when its pid file is found (not Redis: it is not on the checkout path)",
    async start(stock, runId) {
      const applicationName = `bench-${runId}`;
      const stack = new DistributedStack(
        withApplicationName(options.postgresUrl, applicationName),
        {},
        options.brokers,
      );
      const watcher = new OutcomeWatcher(stack.kafka, stack.topic('order.events'));
      const cleanUp = async () => {
        await watcher.stop();
        await stack.stop();
      };
      try {
        await stack.start();
        await watcher.start();
        await receiveStock(stack.client(), stock);
      } catch (error) {
        await cleanUp();
        throw error;
      }
      const services = {
        'inventory-service': stack.inventory,
        'order-service': stack.orders,
        'cart-service': stack.carts,
        gateway: stack.gateway,
      };
      return {
        decidesOnAnswer: false,
        cpuSources: [
          ...Object.entries(services).map(([name, service]) => processSource(name, () => service.pid)),
          options.postgres.backendsOf('postgres backends', applicationName),
          options.postgres.background('postgres background'),
          ...brokerSources(options.brokerPid),
        ],
        ingress: (log) => kafkaIngress(stack.kafka, stack.topic('checkout.requested'), log),
        waitForDecisions: (total, stallMs) => waitForCount(async () => watcher.decidedCount, total, stallMs),
        observe: async (skus) => ({ decisions: watcher.decisions, stockAfter: await readStock(stack.client(), skus) }),
        peakRssMiB: () =>
          Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.peakMemoryMiB()])),
        stop: cleanUp,
      };
    },
  };
}

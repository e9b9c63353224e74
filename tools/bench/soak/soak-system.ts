import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../../client/child-process-system';
import { DistributedStack } from '../../client/distributed-stack';
import { StockadeClient } from '../../client/stockade-client';
import { brokerPidFor } from '../arms/broker-pid';
import { terminalOrderCount } from '../arms/terminal-order-count';
import { httpIngress } from '../load/http-ingress';
import type { Ingress, IngressLog } from '../load/ingress';
import { kafkaIngress } from '../load/kafka-ingress';
import type { WatchedProcess } from './process-memory';

/** The system a soak runs: its processes to watch, how checkouts go in, how many are decided. */
export interface SoakSystem {
  readonly kind: 'embedded' | 'distributed';
  readonly processes: readonly WatchedProcess[];
  readonly client: StockadeClient;
  ingress(log: IngressLog): Promise<Ingress>;
  /** Orders terminal so far, from the server's counters (read at each sample, not per order). */
  decided(): Promise<number>;
  stop(): Promise<void>;
}

/** HTTP requests in flight when the embedded system's maximum is measured in the closed loop. */
const CLOSED_LOOP_CONCURRENCY = 128;

/** Stockade embedded as its own process with a fresh data directory, as the bench's embedded arm starts it. */
export async function startEmbeddedSoak(env: Record<string, string> = {}): Promise<SoakSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-soak-'));
  const server = new ChildProcessSystem(dataDir, await freePort(), { STOCKADE_LOG_LEVEL: 'error', ...env });
  try {
    await server.start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    kind: 'embedded',
    // One process, two threads: the main thread and the inventory worker thread report their heaps in its /metrics.
    processes: [{ name: 'stockade', pid: () => server.pid, metricsUrl: `${server.url}/metrics` }],
    client: new StockadeClient(server.url, OPERATOR_TOKEN),
    ingress: async (log) =>
      httpIngress(server.url, log, { closedLoopConcurrency: CLOSED_LOOP_CONCURRENCY, maxSockets: 256 }),
    decided: () => terminalOrderCount(server.url),
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Stockade distributed as the bench's distributed arm starts it (tools/client/distributed-stack.ts):
 * inventory-service, order-service, cart-service and the gateway on Kafka, PostgreSQL and Redis,
 * fresh topics and schemas; checkouts published on the upstream topic. The broker's RSS is watched
 * too when its pid file is found.
 */
export async function startDistributedSoak(postgresUrl: string, brokers: string): Promise<SoakSystem> {
  const stack = new DistributedStack(postgresUrl, {}, brokers);
  try {
    await stack.start();
  } catch (error) {
    await stack.stop().catch(() => undefined);
    throw error;
  }
  const services = {
    'inventory-service': stack.inventory,
    'order-service': stack.orders,
    'cart-service': stack.carts,
    gateway: stack.gateway,
  };
  const brokerPid = brokerPidFor(brokers);
  return {
    kind: 'distributed',
    processes: [
      ...Object.entries(services).map(([name, service]) => ({
        name,
        pid: () => service.pid,
        metricsUrl: `${service.url}/metrics`,
      })),
      ...(brokerPid === undefined ? [] : [{ name: 'kafka broker', pid: () => brokerPid }]),
    ],
    client: stack.client(),
    ingress: (log) => kafkaIngress(stack.kafka, stack.topic('checkout.requested'), log),
    // The order service counts every outcome it publishes on order.events.
    decided: () => terminalOrderCount(stack.orders.url),
    stop: () => stack.stop(),
  };
}

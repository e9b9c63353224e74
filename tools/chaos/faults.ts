import { execFileSync } from 'node:child_process';
import type { ChildProcessSystem } from '../client/child-process-system';
import type { OwnPostgres, OwnRedis } from '../test/own-servers';

/**
 * What a fault can act on: the service processes, and the broker, PostgreSQL and Redis the harness
 * started for itself. Never the machine's: a restart or a flush there would hit everything else
 * using them (other tests, a developer's own data).
 */
export interface FaultTargets {
  readonly services: {
    readonly inventory: ChildProcessSystem;
    readonly orders: ChildProcessSystem;
    readonly carts: ChildProcessSystem;
  };
  broker(command: 'start' | 'stop'): void;
  readonly postgres: Pick<OwnPostgres, 'restart'>;
  readonly redis: Pick<OwnRedis, 'url'>;
  readonly sessionTimeoutMs: number;
  /** For the slow-consumer fault: share of new checkouts whose payment answers late. */
  slowPayments: number;
}

export interface Fault {
  readonly name: string;
  /** Injects the fault and undoes it; resolves when the system has been given back what it needs (not when it has recovered). */
  run(targets: FaultTargets): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SERVICES = ['inventory', 'orders', 'carts'] as const;

function killAndRestart(service: (typeof SERVICES)[number]): Fault {
  return {
    name: `kill -9 ${service}`,
    run: async (targets) => {
      await targets.services[service].kill();
      await targets.services[service].start();
    },
  };
}

function pausePastSession(service: (typeof SERVICES)[number]): Fault {
  return {
    name: `SIGSTOP ${service} past the session timeout`,
    run: async (targets) => {
      const pid = targets.services[service].pid as number;
      process.kill(pid, 'SIGSTOP');
      await sleep(targets.sessionTimeoutMs + 2_000);
      process.kill(pid, 'SIGCONT');
    },
  };
}

const brokerRestart: Fault = {
  name: 'broker stop and start',
  run: async (targets) => {
    targets.broker('stop');
    await sleep(2_000);
    targets.broker('start');
  },
};

/** Carts and their stock levels live in Redis: everything there goes, and every connection is dropped (what a restart does to clients). */
export const redisFlush: Fault = {
  name: 'Redis flush and connections dropped',
  run: async (targets) => {
    const { hostname, port } = new URL(targets.redis.url);
    execFileSync('redis-cli', ['-h', hostname, '-p', port, 'FLUSHALL']);
    execFileSync('redis-cli', ['-h', hostname, '-p', port, 'CLIENT', 'KILL', 'TYPE', 'normal']);
  },
};

/** A fast shutdown (every connection closed, in-flight transactions rolled back) and a start on the same port and data. */
export const postgresRestart: Fault = {
  name: 'PostgreSQL restart',
  run: async (targets) => targets.postgres.restart(),
};

const slowConsumer: Fault = {
  name: 'slow payments (a slow consumer) for 5 s',
  run: async (targets) => {
    targets.slowPayments = 0.5;
    await sleep(5_000);
    targets.slowPayments = 0;
  },
};

/** Every fault the harness knows; duplicate publishes are not a fault of their own but part of the load all along. */
export function allFaults(): Fault[] {
  return [
    ...SERVICES.map(killAndRestart),
    pausePastSession('orders'),
    pausePastSession('inventory'),
    brokerRestart,
    redisFlush,
    postgresRestart,
    slowConsumer,
  ];
}

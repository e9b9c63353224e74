import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcessSystem } from '../client/child-process-system';

/** What a fault can act on: the service processes, the broker of the harness's own, the machine's PostgreSQL and Redis. */
export interface FaultTargets {
  readonly services: { readonly inventory: ChildProcessSystem; readonly orders: ChildProcessSystem; readonly carts: ChildProcessSystem };
  broker(command: 'start' | 'stop'): void;
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
const redisFlush: Fault = {
  name: 'Redis flush and connections dropped',
  run: async () => {
    execFileSync('redis-cli', ['-h', '127.0.0.1', 'FLUSHALL']);
    execFileSync('redis-cli', ['-h', '127.0.0.1', 'CLIENT', 'KILL', 'TYPE', 'normal']);
  },
};

/** PostgreSQL restarted the way this machine runs it (a Debian cluster), when it can be. */
const postgresRestart: Fault = {
  name: 'PostgreSQL restart',
  run: async () => {
    const version = readdirSync('/etc/postgresql')[0];
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version as string, 'main', 'restart'], { stdio: 'pipe' });
  },
};

const slowConsumer: Fault = {
  name: 'slow payments (a slow consumer) for 5 s',
  run: async (targets) => {
    targets.slowPayments = 0.5;
    await sleep(5_000);
    targets.slowPayments = 0;
  },
};

export function canRestartPostgres(): boolean {
  try {
    return existsSync('/etc/postgresql') && readdirSync('/etc/postgresql').length > 0 && execFileSync('id', ['-u']).toString().trim() === '0' && existsSync(join('/usr', 'bin', 'pg_ctlcluster'));
  } catch {
    return false;
  }
}

export function canFlushRedis(): boolean {
  try {
    execFileSync('redis-cli', ['-h', '127.0.0.1', 'PING'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Every fault the harness knows; duplicate publishes are not a fault of their own but part of the load all along. */
export function allFaults(): Fault[] {
  return [
    ...SERVICES.map(killAndRestart),
    pausePastSession('orders'),
    pausePastSession('inventory'),
    brokerRestart,
    ...(canFlushRedis() ? [redisFlush] : []),
    ...(canRestartPostgres() ? [postgresRestart] : []),
    slowConsumer,
  ];
}

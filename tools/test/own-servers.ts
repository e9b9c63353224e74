import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Works from the sources (Jest) and from dist/tools/test (npm run chaos). */
const HERE = __dirname.includes('/dist/') ? join(__dirname, '..', '..', '..', 'tools', 'test') : __dirname;

function run(script: string, command: string, name: string): string {
  return execFileSync('bash', [join(HERE, script), command, name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A PostgreSQL of the caller's own (tools/test/own-postgres.sh): a temporary cluster on a free port, database `test`. */
export interface OwnPostgres {
  readonly url: string;
  /** Fast shutdown and start again on the same port and data: what a restart of the server does to its clients. */
  restart(): void;
  /** Stops it and deletes its data. */
  stop(): void;
}

/** A Redis of the caller's own (tools/test/own-redis.sh): a free port, nothing persisted. */
export interface OwnRedis {
  readonly url: string;
  stop(): void;
}

/**
 * Starts a PostgreSQL of its own under `name` (a leftover of the same name, from a run that was
 * killed, is killed -9 first), so a test may restart it without touching the machine's.
 */
export function startOwnPostgres(name: string): OwnPostgres {
  const url = run('own-postgres.sh', 'start', name);
  return {
    url,
    restart: () => void run('own-postgres.sh', 'restart', name),
    stop: () => void run('own-postgres.sh', 'stop', name),
  };
}

/** Starts a Redis of its own under `name`, so a test may flush it and drop its clients without touching the machine's. */
export function startOwnRedis(name: string): OwnRedis {
  const url = run('own-redis.sh', 'start', name);
  return { url, stop: () => void run('own-redis.sh', 'stop', name) };
}

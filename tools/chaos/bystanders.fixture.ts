import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/** The machine's PostgreSQL and Redis, where a developer keeps their own data. */
const MACHINE_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const MACHINE_REDIS = 'redis://127.0.0.1:6379';

interface PostgresWatch {
  readonly url: string;
  readonly startedAt: string;
}

interface RedisWatch {
  readonly url: string;
  readonly runId: string;
  readonly canaryKey: string;
  /** Open all along: a CLIENT KILL would close it (ioredis would reconnect under a new client id). */
  readonly connection: Redis;
  readonly clientId: number;
}

/**
 * The PostgreSQL and Redis servers a fault must leave alone, watched: the machine's, and those the
 * rest of the tests use (STOCKADE_POSTGRES_URL, STOCKADE_REDIS_URL, STOCKADE_TEST_REDIS_URL: under
 * `npm test`, servers of its own). A restart shows as a new postmaster start time or Redis run id, a
 * flush as a missing key, dropped connections as a new client id. Servers that do not answer are
 * not watched (`watched` says which are).
 */
export class Bystanders {
  private constructor(
    private readonly postgres: readonly PostgresWatch[],
    private readonly redis: readonly RedisWatch[],
  ) {}

  static async watch(): Promise<Bystanders> {
    const env = process.env;
    const postgresUrls = new Set([
      MACHINE_POSTGRES,
      ...(env['STOCKADE_POSTGRES_URL'] ? [env['STOCKADE_POSTGRES_URL']] : []),
    ]);
    const redisUrls = new Set([
      MACHINE_REDIS,
      ...[env['STOCKADE_REDIS_URL'], env['STOCKADE_TEST_REDIS_URL']].filter((url): url is string => Boolean(url)),
    ]);
    const postgres = (
      await Promise.all(
        [...postgresUrls].map(async (url) => ({
          url,
          startedAt: await postmasterStartedAt(url).catch(() => undefined),
        })),
      )
    ).filter((watch): watch is PostgresWatch => watch.startedAt !== undefined);
    const redis = (await Promise.all([...redisUrls].map((url) => watchRedis(url).catch(() => undefined)))).filter(
      (watch): watch is RedisWatch => watch !== undefined,
    );
    return new Bystanders(postgres, redis);
  }

  /** host:port of every server watched. */
  get watched(): string[] {
    return [
      ...this.postgres.map((watch) => `postgres ${new URL(watch.url).host}`),
      ...this.redis.map((watch) => `redis ${new URL(watch.url).host}`),
    ];
  }

  /** What happened to them since `watch()`; empty when nothing did. */
  async changes(): Promise<string[]> {
    const changes: string[] = [];
    for (const watch of this.postgres) {
      const startedAt = await postmasterStartedAt(watch.url).catch((error: Error) => `unreachable (${error.message})`);
      if (startedAt !== watch.startedAt)
        changes.push(`postgres ${new URL(watch.url).host} restarted: started at ${watch.startedAt}, now ${startedAt}`);
    }
    for (const watch of this.redis) {
      const host = new URL(watch.url).host;
      const runId = await redisRunId(watch.connection).catch((error: Error) => `unreachable (${error.message})`);
      if (runId !== watch.runId) changes.push(`redis ${host} restarted: run id ${watch.runId}, now ${runId}`);
      if ((await watch.connection.get(watch.canaryKey).catch(() => null)) === null)
        changes.push(`redis ${host} lost a key (flushed)`);
      const clientId = await watch.connection.client('ID').catch(() => -1);
      if (clientId !== watch.clientId)
        changes.push(`redis ${host} dropped a client's connection (client id ${watch.clientId}, now ${clientId})`);
    }
    return changes;
  }

  async stop(): Promise<void> {
    for (const watch of this.redis) {
      await watch.connection.del(watch.canaryKey).catch(() => undefined);
      watch.connection.disconnect();
    }
  }
}

async function postmasterStartedAt(url: string): Promise<string> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ started: string }>('SELECT pg_postmaster_start_time()::text AS started');
    return rows[0]?.started as string;
  } finally {
    await client.end();
  }
}

async function redisRunId(connection: Redis): Promise<string> {
  return /run_id:(\w+)/.exec(await connection.info('server'))?.[1] ?? '?';
}

async function watchRedis(url: string): Promise<RedisWatch> {
  const connection = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (times > 3 ? null : 200),
  });
  connection.on('error', () => undefined);
  try {
    await connection.connect();
    const canaryKey = `stockade-test:bystander:${randomUUID()}`;
    await connection.set(canaryKey, 'must survive', 'PX', 30 * 60_000);
    return {
      url,
      runId: await redisRunId(connection),
      canaryKey,
      connection,
      clientId: (await connection.client('ID')) as number,
    };
  } catch (error) {
    connection.disconnect();
    throw error;
  }
}

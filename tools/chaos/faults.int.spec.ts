import { Redis } from 'ioredis';
import { Client } from 'pg';
import { OwnPostgres, OwnRedis, startOwnPostgres, startOwnRedis } from '../test/own-servers';
import { Bystanders } from './bystanders.fixture';
import { FaultTargets, postgresRestart, redisFlush } from './faults';

jest.setTimeout(120_000);

async function postmasterStartedAt(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ started: string }>('SELECT pg_postmaster_start_time()::text AS started')).rows[0]
      ?.started as string;
  } finally {
    await client.end();
  }
}

describe("the fault harness's PostgreSQL and Redis faults", () => {
  let postgres: OwnPostgres;
  let redis: OwnRedis;

  beforeAll(() => {
    postgres = startOwnPostgres(`faults-spec-${process.pid}`);
    redis = startOwnRedis(`faults-spec-${process.pid}`);
  });

  afterAll(() => {
    postgres?.stop();
    redis?.stop();
  });

  it("given the harness's own PostgreSQL and Redis, when the PostgreSQL restart and the Redis flush run, then those two restarted and lost their keys, while the machine's PostgreSQL and Redis (and the ones the other tests use) kept their start time, run id, keys and connections", async () => {
    const bystanders = await Bystanders.watch();
    const own = new Redis(redis.url);
    own.on('error', () => undefined);
    try {
      const startedAt = await postmasterStartedAt(postgres.url);
      await own.set('cart:fault-spec', 'in the harness redis');
      const targets = { postgres, redis } as Pick<FaultTargets, 'postgres' | 'redis'> as FaultTargets;

      await postgresRestart.run(targets);
      await redisFlush.run(targets);

      expect(bystanders.watched.length).toBeGreaterThan(0);
      expect({
        ownPostgresRestarted: (await postmasterStartedAt(postgres.url)) !== startedAt,
        ownRedisFlushed: (await own.get('cart:fault-spec')) === null,
        whatHappenedToTheOthers: await bystanders.changes(),
      }).toEqual({ ownPostgresRestarted: true, ownRedisFlushed: true, whatHappenedToTheOthers: [] });
    } finally {
      own.disconnect();
      await bystanders.stop();
    }
  });
});

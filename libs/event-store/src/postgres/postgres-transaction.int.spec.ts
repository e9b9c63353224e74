import { isOutage } from '@stockade/kernel';
import { Pool } from 'pg';
import { orOutage } from './postgres-outage';
import { POSTGRES_URL, requirePostgres } from './postgres-test-database';
import { inTransaction } from './postgres-transaction';

describe('inTransaction when PostgreSQL drops the connection mid-transaction', () => {
  beforeAll(requirePostgres);

  it('given a transaction whose connection is terminated (as a PostgreSQL restart does), then the transaction fails, the process does not crash on an unhandled error event, and the pool serves the next one', async () => {
    const pool = new Pool({ connectionString: POSTGRES_URL, max: 2 });
    pool.on('error', () => undefined);
    const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    const crashes: unknown[] = [];
    const onUncaught = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(
        inTransaction(pool, async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          // The server's notice of termination arrives while the client is idle and checked out.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await client.query('SELECT 1');
        }),
      ).rejects.toThrow();
      expect(crashes).toEqual([]);
      expect((await inTransaction(pool, (client) => client.query('SELECT 1 AS one'))).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await Promise.all([pool.end(), admin.end()]);
    }
  });

  it('given a transaction whose connection is terminated, when it runs as a store operation, then it fails as an outage (UNAVAILABLE, retriable), so a consumer waits for PostgreSQL instead of dead-lettering its message', async () => {
    const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    pool.on('error', () => undefined);
    const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    try {
      const failure = await orOutage('append', () =>
        inTransaction(pool, async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await client.query('SELECT 1');
        }),
      ).catch((error: unknown) => error);
      expect(isOutage(failure)).toBe(true);
      expect((failure as Error).message).toMatch(/^PostgreSQL unavailable during append: /);
    } finally {
      await Promise.all([pool.end(), admin.end()]);
    }
  });

  it('given nothing listening where PostgreSQL should be, when a store operation runs, then it fails as an outage; a statement error does not', async () => {
    const nowhere = new Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
      max: 1,
      connectionTimeoutMillis: 2_000,
    });
    const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    try {
      expect(
        isOutage(await orOutage('read stream', () => nowhere.query('SELECT 1')).catch((error: unknown) => error)),
      ).toBe(true);
      const badStatement = await orOutage('read stream', () => pool.query('SELEC 1')).catch((error: unknown) => error);
      expect([isOutage(badStatement), (badStatement as { code?: string }).code]).toEqual([false, '42601']);
    } finally {
      await Promise.all([nowhere.end(), pool.end()]);
    }
  });
});

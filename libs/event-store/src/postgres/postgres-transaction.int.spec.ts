import { Pool } from 'pg';
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
});

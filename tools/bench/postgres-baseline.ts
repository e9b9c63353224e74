import { Pool } from 'pg';
import type { Workload } from './workloads';

/**
 * What a team would write without Stockade: one PostgreSQL transaction per checkout with a
 * guarded UPDATE per line (`qty = qty - n WHERE qty >= n`), rolled back when a line is short.
 * Measured on this machine so the comparison in docs/benchmarks.md is like for like.
 */
export async function runPostgresBaseline(workload: Workload, options: { connectionString: string; concurrency: number }): Promise<{ checkoutsPerSecond: number; completed: number; rejected: number }> {
  const pool = new Pool({ connectionString: options.connectionString, max: options.concurrency });
  const table = `bench_stock_${process.pid}_${Date.now()}`;
  try {
    await pool.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${table} (sku text PRIMARY KEY, qty integer NOT NULL CHECK (qty >= 0))`);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table}_orders (id text PRIMARY KEY, lines jsonb NOT NULL)`);
    const skus = [...workload.stock.keys()];
    await pool.query(`INSERT INTO ${table} (sku, qty) SELECT * FROM unnest($1::text[], $2::int[])`, [skus, skus.map((s) => workload.stock.get(s))]);

    let completed = 0;
    let rejected = 0;
    let next = 0;
    const started = process.hrtime.bigint();
    const worker = async () => {
      const client = await pool.connect();
      try {
        while (next < workload.checkouts.length) {
          const checkout = workload.checkouts[next++];
          if (!checkout) break;
          await client.query('BEGIN');
          let short = false;
          // Lines in SKU order, as a careful team would, so two checkouts cannot deadlock.
          for (const line of [...checkout.lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
            const result = await client.query(`UPDATE ${table} SET qty = qty - $2 WHERE sku = $1 AND qty >= $2`, [line.sku, line.quantity]);
            if (result.rowCount === 0) {
              short = true;
              break;
            }
          }
          if (short) {
            await client.query('ROLLBACK');
            rejected++;
          } else {
            await client.query(`INSERT INTO ${table}_orders (id, lines) VALUES ($1, $2)`, [checkout.checkoutId, JSON.stringify(checkout.lines)]);
            await client.query('COMMIT');
            completed++;
          }
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { checkoutsPerSecond: workload.checkouts.length / seconds, completed, rejected };
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}; DROP TABLE IF EXISTS ${table}_orders`).catch(() => undefined);
    await pool.end();
  }
}

import { Pool, PoolClient } from 'pg';
import type { Observation, StockReading } from '../observation';
import { withApplicationName } from '../measure/postgres-processes';
import type { BaselineTables } from './baseline-tables';
import { checkoutFunctionSql } from './checkout-function';

// The tables' names live apart, so the checkout SQL can name them without importing this store back.
export { baselineTables, type BaselineTables } from './baseline-tables';

/**
 * What a careful team's service would use: a pool of `connections` kept open for the run, tagged
 * with `applicationName` (the bench counts those backends' CPU), each session with its
 * `synchronous_commit` set explicitly rather than left to the server's default. `off` is
 * PostgreSQL's equivalent of Stockade's embedded SQLite (WAL, synchronous=NORMAL): a commit
 * survives a process crash without waiting for its own fsync; `on` waits for it, like SQLite's
 * synchronous=FULL.
 */
export function baselinePool(
  connectionString: string,
  options: { applicationName: string; connections: number; synchronousCommit: boolean },
): Pool {
  return new Pool({
    connectionString: withApplicationName(connectionString, options.applicationName),
    max: options.connections,
    idleTimeoutMillis: 0,
    // A startup parameter: the same as `SET synchronous_commit = …` as each session's first statement.
    options: `-c synchronous_commit=${options.synchronousCommit ? 'on' : 'off'}`,
  });
}

/**
 * Opens every connection of the pool now, so their backends exist before the measurement starts,
 * and checks each session's synchronous_commit is the one asked for (throws otherwise).
 */
export async function openAll(pool: Pool, connections: number, synchronousCommit: boolean): Promise<void> {
  const clients: PoolClient[] = [];
  try {
    for (let i = 0; i < connections; i++) clients.push(await pool.connect());
    for (const client of clients) {
      const setting = (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]
        ?.synchronous_commit;
      if (setting !== (synchronousCommit ? 'on' : 'off'))
        throw new Error(
          `a baseline session has synchronous_commit=${setting}, not ${synchronousCommit ? 'on' : 'off'}`,
        );
    }
  } finally {
    clients.forEach((client) => client.release());
  }
}

/** The run's schema: stock and orders tables, the stock received, and the one-round-trip checkout function. */
export async function createBaselineTables(
  pool: Pool,
  tables: BaselineTables,
  stock: ReadonlyMap<string, number>,
): Promise<void> {
  await pool.query(`CREATE SCHEMA ${tables.schema}`);
  await pool.query(`CREATE TABLE ${tables.stock} (sku text PRIMARY KEY, qty integer NOT NULL CHECK (qty >= 0))`);
  await pool.query(`CREATE TABLE ${tables.orders} (id text PRIMARY KEY, status text NOT NULL, lines jsonb NOT NULL)`);
  await pool.query(checkoutFunctionSql(tables));
  const skus = [...stock.keys()];
  await pool.query(`INSERT INTO ${tables.stock} (sku, qty) SELECT * FROM unnest($1::text[], $2::int[])`, [
    skus,
    skus.map((sku) => stock.get(sku)),
  ]);
}

/** The baseline's own record after a run: one row per decided checkout, the stock left. Nothing is ever reserved there. */
export async function readBaselineState(pool: Pool, tables: BaselineTables): Promise<Observation> {
  const orders = await pool.query<{ id: string; status: 'COMPLETED' | 'REJECTED' }>(
    `SELECT id, status FROM ${tables.orders}`,
  );
  const stock = await pool.query<{ sku: string; qty: number }>(`SELECT sku, qty FROM ${tables.stock}`);
  return {
    // The primary key allows one row per checkout: its id is the decision's.
    decisions: orders.rows.map((row) => ({ checkoutId: row.id, status: row.status, decisionId: `row:${row.id}` })),
    stockAfter: new Map(stock.rows.map((row): [string, StockReading] => [row.sku, { onHand: row.qty, reserved: 0 }])),
  };
}

export async function dropBaselineTables(pool: Pool, tables: BaselineTables): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${tables.schema} CASCADE`);
}

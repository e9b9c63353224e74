import { Pool, PoolClient } from 'pg';
import type { Observation, StockReading } from '../observation';
import { withApplicationName } from '../measure/postgres-processes';

/** The two tables of one baseline run (fresh names per run, so runs never see each other's rows). */
export interface BaselineTables {
  readonly stock: string;
  readonly orders: string;
}

export function baselineTables(runId: string): BaselineTables {
  const safe = runId.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  return { stock: `bench_${safe}_stock`, orders: `bench_${safe}_orders` };
}

/**
 * What a careful team's service would use: a pool of `connections` kept open for the run, tagged
 * with `applicationName` (the bench counts those backends' CPU). `synchronousCommit: false` is
 * PostgreSQL's equivalent of Stockade's embedded SQLite (WAL, synchronous=NORMAL): a commit
 * survives a process crash without waiting for its own fsync.
 */
export function baselinePool(connectionString: string, options: { applicationName: string; connections: number; synchronousCommit: boolean }): Pool {
  return new Pool({
    connectionString: withApplicationName(connectionString, options.applicationName),
    max: options.connections,
    idleTimeoutMillis: 0,
    ...(options.synchronousCommit ? {} : { options: '-c synchronous_commit=off' }),
  });
}

/** Opens every connection of the pool now, so their backends exist before the measurement starts. */
export async function openAll(pool: Pool, connections: number): Promise<void> {
  const clients: PoolClient[] = [];
  for (let i = 0; i < connections; i++) clients.push(await pool.connect());
  clients.forEach((client) => client.release());
}

export async function createBaselineTables(pool: Pool, tables: BaselineTables, stock: ReadonlyMap<string, number>): Promise<void> {
  await pool.query(`CREATE TABLE ${tables.stock} (sku text PRIMARY KEY, qty integer NOT NULL CHECK (qty >= 0))`);
  await pool.query(`CREATE TABLE ${tables.orders} (id text PRIMARY KEY, status text NOT NULL, lines jsonb NOT NULL)`);
  const skus = [...stock.keys()];
  await pool.query(`INSERT INTO ${tables.stock} (sku, qty) SELECT * FROM unnest($1::text[], $2::int[])`, [skus, skus.map((sku) => stock.get(sku))]);
}

/** The baseline's own record after a run: one row per decided checkout, the stock left. Nothing is ever reserved there. */
export async function readBaselineState(pool: Pool, tables: BaselineTables): Promise<Observation> {
  const orders = await pool.query<{ id: string; status: 'COMPLETED' | 'REJECTED' }>(`SELECT id, status FROM ${tables.orders}`);
  const stock = await pool.query<{ sku: string; qty: number }>(`SELECT sku, qty FROM ${tables.stock}`);
  return {
    // The primary key allows one row per checkout: its id is the decision's.
    decisions: orders.rows.map((row) => ({ checkoutId: row.id, status: row.status, decisionId: `row:${row.id}` })),
    stockAfter: new Map(stock.rows.map((row): [string, StockReading] => [row.sku, { onHand: row.qty, reserved: 0 }])),
  };
}

export async function dropBaselineTables(pool: Pool, tables: BaselineTables): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${tables.stock}; DROP TABLE IF EXISTS ${tables.orders}`);
}

import type { Pool } from 'pg';
import { baselinePool, BaselineTables, openAll } from './baseline-store';

/** How the bench configures a baseline server process (environment variables, set by the bench's arms). */
export interface BaselineConfig {
  readonly port: number;
  readonly postgresUrl: string;
  readonly tables: BaselineTables;
  readonly connections: number;
  readonly applicationName: string;
  readonly synchronousCommit: boolean;
}

export const BASELINE_ENV = {
  postgresUrl: 'BASELINE_POSTGRES_URL',
  stockTable: 'BASELINE_STOCK_TABLE',
  ordersTable: 'BASELINE_ORDERS_TABLE',
  connections: 'BASELINE_CONNECTIONS',
  applicationName: 'BASELINE_APPLICATION_NAME',
  synchronousCommit: 'BASELINE_SYNCHRONOUS_COMMIT',
} as const;

export function baselineEnv(config: Omit<BaselineConfig, 'port'>): Record<string, string> {
  return {
    [BASELINE_ENV.postgresUrl]: config.postgresUrl,
    [BASELINE_ENV.stockTable]: config.tables.stock,
    [BASELINE_ENV.ordersTable]: config.tables.orders,
    [BASELINE_ENV.connections]: String(config.connections),
    [BASELINE_ENV.applicationName]: config.applicationName,
    [BASELINE_ENV.synchronousCommit]: config.synchronousCommit ? 'on' : 'off',
  };
}

export function baselineConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BaselineConfig {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (the bench sets it when it starts a baseline)`);
    return value;
  };
  return {
    port: Number(required('PORT')),
    postgresUrl: required(BASELINE_ENV.postgresUrl),
    tables: { stock: required(BASELINE_ENV.stockTable), orders: required(BASELINE_ENV.ordersTable) },
    connections: Number(required(BASELINE_ENV.connections)),
    applicationName: required(BASELINE_ENV.applicationName),
    synchronousCommit: required(BASELINE_ENV.synchronousCommit) === 'on',
  };
}

/** The pool, every connection open before the first checkout. */
export async function openBaselinePool(config: BaselineConfig): Promise<Pool> {
  const pool = baselinePool(config.postgresUrl, config);
  await openAll(pool, config.connections);
  return pool;
}

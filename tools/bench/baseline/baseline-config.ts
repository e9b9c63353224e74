import type { Pool } from 'pg';
import { BASELINE_CHECKOUTS, BaselineCheckoutKind } from './baseline-checkout';
import { baselinePool, BaselineTables, openAll } from './baseline-store';

/** How the bench configures a baseline server process (environment variables, set by the bench's arms). */
export interface BaselineConfig {
  readonly port: number;
  readonly postgresUrl: string;
  readonly tables: BaselineTables;
  readonly connections: number;
  readonly applicationName: string;
  readonly synchronousCommit: boolean;
  readonly checkout: BaselineCheckoutKind;
}

export const BASELINE_ENV = {
  postgresUrl: 'BASELINE_POSTGRES_URL',
  schema: 'BASELINE_SCHEMA',
  connections: 'BASELINE_CONNECTIONS',
  applicationName: 'BASELINE_APPLICATION_NAME',
  synchronousCommit: 'BASELINE_SYNCHRONOUS_COMMIT',
  checkout: 'BASELINE_CHECKOUT',
} as const;

export function baselineEnv(config: Omit<BaselineConfig, 'port'>): Record<string, string> {
  return {
    [BASELINE_ENV.postgresUrl]: config.postgresUrl,
    [BASELINE_ENV.schema]: config.tables.schema,
    [BASELINE_ENV.connections]: String(config.connections),
    [BASELINE_ENV.applicationName]: config.applicationName,
    [BASELINE_ENV.synchronousCommit]: config.synchronousCommit ? 'on' : 'off',
    [BASELINE_ENV.checkout]: config.checkout,
  };
}

export function baselineConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BaselineConfig {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (the bench sets it when it starts a baseline)`);
    return value;
  };
  const schema = required(BASELINE_ENV.schema);
  const checkout = required(BASELINE_ENV.checkout);
  if (!(BASELINE_CHECKOUTS as readonly string[]).includes(checkout))
    throw new Error(`${BASELINE_ENV.checkout} must be one of ${BASELINE_CHECKOUTS.join(', ')}`);
  return {
    port: Number(required('PORT')),
    postgresUrl: required(BASELINE_ENV.postgresUrl),
    tables: { schema, stock: `${schema}.stock`, orders: `${schema}.orders` },
    connections: Number(required(BASELINE_ENV.connections)),
    applicationName: required(BASELINE_ENV.applicationName),
    synchronousCommit: required(BASELINE_ENV.synchronousCommit) === 'on',
    checkout: checkout as BaselineCheckoutKind,
  };
}

/** The pool, every connection open (and its synchronous_commit checked) before the first checkout. */
export async function openBaselinePool(config: BaselineConfig): Promise<Pool> {
  const pool = baselinePool(config.postgresUrl, config);
  await openAll(pool, config.connections, config.synchronousCommit);
  return pool;
}

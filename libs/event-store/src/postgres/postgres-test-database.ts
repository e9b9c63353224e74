import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';

/**
 * Test support for the PostgreSQL integration specs (not exported from the entry point).
 * The server is required: when it is down the specs fail with a message saying so, instead
 * of skipping and reporting green.
 */
export const POSTGRES_URL = process.env['STOCKADE_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other spec file or earlier run uses. */
export function randomSchemaName(): string {
  return `es_test_${randomBytes(6).toString('hex')}`;
}

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function requirePostgres(): Promise<void> {
  try {
    await withClient((client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `PostgreSQL is required by the PostgreSQL event store specs and is not reachable at ${POSTGRES_URL} ` +
        `(${(error as Error).message}). Start it, or point STOCKADE_POSTGRES_URL at one; these tests never skip.`,
    );
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withClient((client) => client.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`));
}

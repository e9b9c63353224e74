import { randomBytes } from 'node:crypto';
import { PostgresEventStore } from '@stockade/event-store/postgres';
import { Client, escapeIdentifier } from 'pg';
import { describeShardedWriter, FencedStore } from './testing/sharded-writer-scenarios';

const POSTGRES_URL = process.env['STOCKADE_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

afterAll(async () => {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
});

/** A schema per test; the instances of a test share it, as the inventory instances of one deployment do. */
describeShardedWriter('PostgreSQL', async () => {
  const schema = `inv_shards_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  return (await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema })) as FencedStore;
});

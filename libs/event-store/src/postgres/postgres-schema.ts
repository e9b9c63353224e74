import { ValidationError } from '@stockade/kernel';
import { escapeIdentifier, type Pool } from 'pg';
import { appendFunctionDdl } from './postgres-append-function';
import { SCHEMA_CREATION_LOCK } from './postgres-locks';
import { inTransaction } from './postgres-transaction';

/**
 * Lower-case identifiers only, short enough that `<schema>_appended` stays within
 * PostgreSQL's 63-byte identifier limit (longer names would be silently truncated, and
 * LISTEN and pg_notify would then disagree on the channel).
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,49}$/;

export function validateSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ValidationError([
      { field: 'schema', message: `${JSON.stringify(schema)} must match ${SCHEMA_NAME.source}` },
    ]);
  }
}

/**
 * events: `position` is an identity column, so positions are never reused; they may have
 * gaps (a rolled-back append consumes them), which the port allows.
 * streams: one row per stream holding its last version, so the version check is one
 * primary-key seek and its row lock is what serializes writers of the same stream.
 * The (stream text_pattern_ops, position) index serves `stream LIKE 'prefix%'` whatever the
 * database collation is; UNIQUE(stream, version) stays as the last line of defence, and its index
 * is what reads a stream from a version as a range scan.
 * snapshots: one row per stream, the latest (ADR 14); a cache that may be emptied at any time.
 * fences: one row per fence (an inventory shard, ADR 0020) with the epoch of its holder; taking
 * it updates the row, fenced appends read it FOR SHARE, so the two wait for each other.
 */
function ddl(schema: string): string {
  const s = escapeIdentifier(schema);
  return `
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.events (
      position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream      text        NOT NULL,
      version     integer     NOT NULL,
      id          text        NOT NULL,
      type        text        NOT NULL,
      data        jsonb       NOT NULL,
      metadata    jsonb       NOT NULL,
      recorded_at timestamptz NOT NULL,
      CONSTRAINT events_stream_version_key UNIQUE (stream, version),
      CONSTRAINT events_id_key UNIQUE (id)
    );
    CREATE INDEX IF NOT EXISTS events_stream_prefix_idx ON ${s}.events (stream text_pattern_ops, position);
    CREATE TABLE IF NOT EXISTS ${s}.streams (
      stream  text    PRIMARY KEY,
      version integer NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
      name     text   PRIMARY KEY,
      position bigint NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${s}.snapshots (
      stream         text    PRIMARY KEY,
      version        integer NOT NULL,
      event_id       text    NOT NULL,
      schema_version integer NOT NULL,
      state          jsonb   NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${s}.fences (
      name  text   PRIMARY KEY,
      epoch bigint NOT NULL
    );`;
}

/**
 * Creates the schema and its tables if missing. `IF NOT EXISTS` alone is not enough when two
 * processes start together (both see "missing", one fails on the catalog's unique index), so
 * the DDL runs under a transaction-level advisory lock keyed by the schema name.
 */
export async function createEventStoreSchema(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_CREATION_LOCK, schema]);
    await client.query(ddl(schema));
    await client.query(appendFunctionDdl(schema));
  });
}

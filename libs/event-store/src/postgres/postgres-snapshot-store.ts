import { escapeIdentifier, type Pool } from 'pg';
import { lastSnapshotPerStream, type Snapshot, type SnapshotStore } from '../snapshot-store';
import { orOutage } from './postgres-outage';

interface SnapshotRow {
  readonly version: number;
  readonly event_id: string;
  readonly schema_version: number;
  readonly state: unknown;
}

/**
 * Snapshots in the event store's schema (table created with the others), on its pool. One
 * statement saves a whole batch: rows arrive as arrays and are upserted from unnest. The states
 * are sent as JSON text, so jsonb stores them as the writer encoded them.
 */
export class PostgresSnapshotStore implements SnapshotStore {
  private readonly loadSql: string;
  private readonly saveSql: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    const table = `${escapeIdentifier(schema)}.snapshots`;
    this.loadSql = `SELECT version, event_id, schema_version, state FROM ${table} WHERE stream = $1`;
    this.saveSql = `
      INSERT INTO ${table} AS existing (stream, version, event_id, schema_version, state)
      SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::jsonb[])
      ON CONFLICT (stream) DO UPDATE SET
        version = excluded.version, event_id = excluded.event_id, schema_version = excluded.schema_version, state = excluded.state`;
  }

  async load(stream: string): Promise<Snapshot | undefined> {
    const { rows } = await orOutage('load snapshot', () => this.pool.query<SnapshotRow>(this.loadSql, [stream]));
    const row = rows[0];
    if (!row) return undefined;
    return { stream, version: row.version, eventId: row.event_id, schemaVersion: row.schema_version, state: row.state };
  }

  async save(snapshots: readonly Snapshot[]): Promise<void> {
    // One row per stream: ON CONFLICT cannot update the same row twice in one statement.
    const latest = lastSnapshotPerStream(snapshots);
    if (latest.length === 0) return;
    await orOutage('save snapshots', () =>
      this.pool.query(this.saveSql, [
        latest.map((s) => s.stream),
        latest.map((s) => s.version),
        latest.map((s) => s.eventId),
        latest.map((s) => s.schemaVersion),
        latest.map((s) => JSON.stringify(s.state)),
      ]),
    );
  }
}

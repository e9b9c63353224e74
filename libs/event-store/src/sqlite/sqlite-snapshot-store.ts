import type Database from 'better-sqlite3';
import { lastSnapshotPerStream, type Snapshot, type SnapshotStore } from '../snapshot-store';
import type { SqliteGroupCommit } from './sqlite-group-commit';

interface SnapshotRow {
  readonly version: number;
  readonly event_id: string;
  readonly schema_version: number;
  readonly state: string;
}

type UpsertParameters = [stream: string, version: number, eventId: string, schemaVersion: number, state: string];

/**
 * Snapshots in the event store's own file, on its own connection and group commit. The same
 * connection matters: another connection's commits move `data_version`, which would make the
 * writer's cache re-check every stream it holds after each snapshot (see externalWriteMarker).
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly loadRow: Database.Statement<[string], SnapshotRow>;
  private readonly upsert: Database.Statement<UpsertParameters>;

  constructor(
    db: Database.Database,
    private readonly writes: SqliteGroupCommit,
  ) {
    this.loadRow = db.prepare<[string], SnapshotRow>(
      'SELECT version, event_id, schema_version, state FROM snapshots WHERE stream = ?',
    );
    this.upsert = db.prepare<UpsertParameters>(`
      INSERT INTO snapshots (stream, version, event_id, schema_version, state) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (stream) DO UPDATE SET
        version = excluded.version, event_id = excluded.event_id, schema_version = excluded.schema_version, state = excluded.state`);
  }

  async load(stream: string): Promise<Snapshot | undefined> {
    const row = this.loadRow.get(stream);
    if (!row) return undefined;
    return {
      stream,
      version: row.version,
      eventId: row.event_id,
      schemaVersion: row.schema_version,
      state: JSON.parse(row.state) as unknown,
    };
  }

  async save(snapshots: readonly Snapshot[]): Promise<void> {
    // Serialized now, not when the group commit runs: the caller may change its objects meanwhile.
    const rows = lastSnapshotPerStream(snapshots).map((s): UpsertParameters => [
      s.stream,
      s.version,
      s.eventId,
      s.schemaVersion,
      JSON.stringify(s.state),
    ]);
    if (rows.length === 0) return;
    await this.writes.submit(() => rows.forEach((row) => this.upsert.run(...row)));
  }
}

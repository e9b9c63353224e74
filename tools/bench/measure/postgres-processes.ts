import { Client } from 'pg';
import type { CpuSource } from './cpu-meter';

/** What every report says about the PostgreSQL server: durability, WAL syncing and where the data lives. */
export const POSTGRES_SETTINGS = [
  'fsync',
  'synchronous_commit',
  'wal_sync_method',
  'full_page_writes',
  'shared_buffers',
  'data_directory',
] as const;
export type PostgresSetting = (typeof POSTGRES_SETTINGS)[number];

/** The connection string with `application_name` set: how an arm's PostgreSQL backends are told apart from anyone else's. */
export function withApplicationName(connectionString: string, applicationName: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/**
 * Finds PostgreSQL's processes for the CPU meter (PostgreSQL on this machine: their /proc entries
 * are readable). One connection of its own, tagged so it never counts itself.
 */
export class PostgresProcesses {
  private constructor(private readonly client: Client) {}

  static async connect(connectionString: string): Promise<PostgresProcesses> {
    const client = new Client({ connectionString: withApplicationName(connectionString, 'stockade-bench-meter') });
    await client.connect();
    return new PostgresProcesses(client);
  }

  /** The backends serving connections that carry `applicationName`. */
  backendsOf(name: string, applicationName: string): CpuSource {
    return {
      name,
      pids: () => this.pids(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [applicationName]),
    };
  }

  /**
   * The instance's shared background processes (WAL writer, checkpointer, background writer,
   * autovacuum): they work for whoever writes, so they count only on a quiet machine.
   */
  background(name: string): CpuSource {
    return {
      name,
      pids: () => this.pids(`SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'`, []),
    };
  }

  /** The server settings that decide what a commit costs and survives, read with SHOW (undefined where this role may not read one). */
  async settings(): Promise<Record<PostgresSetting, string | undefined>> {
    const settings: Partial<Record<PostgresSetting, string | undefined>> = {};
    // One after another: the connection takes one query at a time.
    for (const name of POSTGRES_SETTINGS)
      settings[name] = await this.client.query<Record<string, string>>(`SHOW ${name}`).then(
        (result) => result.rows[0]?.[name],
        () => undefined,
      );
    return settings as Record<PostgresSetting, string | undefined>;
  }

  async version(): Promise<string> {
    const result = await this.client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private async pids(sql: string, parameters: unknown[]): Promise<number[]> {
    const result = await this.client.query<{ pid: number }>(sql, parameters);
    return result.rows.map((row) => row.pid);
  }
}

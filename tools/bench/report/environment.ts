import { tmpdir } from 'node:os';
import type { PostgresProcesses, PostgresSetting } from '../measure/postgres-processes';
import { DataDirectory, isLocalServer, kafkaDataDirectory, localDataDirectory } from './storage';

/** Where and under what settings the arms stored their data: in every JSON report, so a figure can be read against its disk. */
export interface BenchEnvironment {
  /** What each run's `loadClientCpuSeconds` counts. */
  readonly loadClient: string;
  /** Absent when no PostgreSQL was reachable (an embedded soak needs none). */
  readonly postgres?: {
    /** The server's settings (SHOW), the server default a session may override: the arms' own sessions are in `durability`. */
    readonly settings: Record<PostgresSetting, string | undefined>;
    readonly dataDirectory?: DataDirectory;
  };
  readonly dataDirectories: {
    /** The embedded arms' SQLite files: a fresh directory per run under this one. */
    readonly sqlite: DataDirectory;
    /** The broker's log directory, when tools/kafka/kafka.sh started it. */
    readonly kafka?: DataDirectory;
  };
}

export const LOAD_CLIENT_CPU =
  "CPU of the bench process itself (process.cpuUsage, user + system) over the measured window: the load generator, the HTTP or Kafka client, the outcome readers; it shares the cores with the arm but is not counted in the arm's CPU";

export async function benchEnvironment(
  postgres: PostgresProcesses | undefined,
  postgresUrl: string,
  kafkaBrokers?: string,
): Promise<BenchEnvironment> {
  const settings = await postgres?.settings();
  const pgData = settings?.data_directory;
  const kafka = kafkaBrokers ? kafkaDataDirectory(kafkaBrokers) : undefined;
  return {
    loadClient: LOAD_CLIENT_CPU,
    ...(settings
      ? {
          postgres: {
            settings,
            ...(pgData
              ? {
                  dataDirectory: isLocalServer(postgresUrl)
                    ? localDataDirectory(pgData)
                    : { path: pgData, note: 'PostgreSQL runs on another host: its filesystem is not known here' },
                }
              : {}),
          },
        }
      : {}),
    dataDirectories: { sqlite: localDataDirectory(tmpdir()), ...(kafka ? { kafka } : {}) },
  };
}

/** The environment in two lines for the terminal. */
export function describeEnvironment(environment: BenchEnvironment): string[] {
  const where = (dir: { path: string; filesystem?: string } | undefined) =>
    dir ? `${dir.path} (${dir.filesystem ?? 'filesystem unknown'})` : 'unknown';
  const pg = environment.postgres?.settings;
  return [
    pg
      ? `PostgreSQL: fsync=${pg.fsync}, synchronous_commit=${pg.synchronous_commit} (server default), wal_sync_method=${pg.wal_sync_method}, full_page_writes=${pg.full_page_writes}, shared_buffers=${pg.shared_buffers}; data in ${where(environment.postgres?.dataDirectory)}`
      : 'PostgreSQL: not reachable',
    `SQLite data directories under ${where(environment.dataDirectories.sqlite)}${environment.dataDirectories.kafka ? `; Kafka log in ${where(environment.dataDirectories.kafka)}` : ''}`,
  ];
}

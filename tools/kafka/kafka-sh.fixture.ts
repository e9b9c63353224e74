import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** tools/kafka/kafka.sh: sourced, it defines its functions and settings without running a command. */
export const KAFKA_SH = path.join(__dirname, 'kafka.sh');

export interface BashResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a bash snippet with kafka.sh sourced, so the snippet calls the script's own functions
 * (random_cluster_id, write_config, format_storage, ...). `args` are the snippet's "$@". Sourcing
 * also turns on the script's `set -euo pipefail`.
 */
export function withKafkaSh(snippet: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): BashResult {
  const result = spawnSync('bash', ['-c', `source "$KAFKA_SH_UNDER_TEST"\n${snippet}`, 'bash', ...args], {
    encoding: 'utf8',
    env: { ...env, KAFKA_SH_UNDER_TEST: KAFKA_SH },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `count` ids from kafka.sh's random_cluster_id, the generator `kafka.sh start` formats with. */
export function generateClusterIds(count: number): string[] {
  const { status, stdout, stderr } = withKafkaSh('for ((i = 0; i < $1; i++)); do random_cluster_id; done', [
    String(count),
  ]);
  if (status !== 0) throw new Error(`random_cluster_id failed (exit ${status}): ${stderr}`);
  return stdout.split('\n').filter(Boolean);
}

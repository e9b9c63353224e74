import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pid of the Kafka broker that tools/kafka/kafka.sh started for `brokers` (its pid file under
 * tools/kafka/.cache/run/<port>/), or undefined when there is none: the broker's CPU then is not counted.
 */
export function brokerPidFor(brokers: string, repositoryRoot = process.cwd()): number | undefined {
  const port = brokers.split(',')[0]?.split(':')[1];
  try {
    const pid = Number(
      readFileSync(join(repositoryRoot, 'tools', 'kafka', '.cache', 'run', String(port), 'kafka.pid'), 'utf8').trim(),
    );
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

/** Where a data directory lives: the mount it is on and that mount's filesystem (ext4, xfs, overlay, tmpfs…). */
export interface DataDirectory {
  readonly path: string;
  /** Undefined when it could not be told (another host's path, no /proc/mounts). */
  readonly filesystem?: string;
  readonly mountPoint?: string;
  readonly device?: string;
  /** Why the filesystem is not given, when it is not. */
  readonly note?: string;
}

/** /proc/mounts writes a space in a path as \040 (and tab, newline, backslash likewise). */
const unescapeMountField = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/**
 * The mount `path` is on, from the text of /proc/mounts: the longest mount point that is `path` or
 * one of its parents (the last one listed wins, as a later mount hides an earlier one on the same
 * point). Pure, so it is tested on a fixture.
 */
export function mountOf(path: string, mounts: string): Omit<DataDirectory, 'path'> {
  let best: { mountPoint: string; filesystem: string; device: string } | undefined;
  for (const line of mounts.split('\n')) {
    const [device, rawPoint, filesystem] = line.split(' ');
    if (!device || !rawPoint || !filesystem) continue;
    const mountPoint = unescapeMountField(rawPoint);
    const covers = mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);
    if (covers && (!best || mountPoint.length >= best.mountPoint.length))
      best = { mountPoint, filesystem, device: unescapeMountField(device) };
  }
  return best ?? { note: 'no mount found for it' };
}

/** A local directory's mount and filesystem (its real path, symbolic links resolved when they can be). */
export function localDataDirectory(path: string): DataDirectory {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // Not readable by this user (PostgreSQL's own directory): the path as given is good enough for the mount.
  }
  try {
    return { path: real, ...mountOf(real, readFileSync('/proc/mounts', 'utf8')) };
  } catch {
    return { path: real, note: '/proc/mounts is not readable here' };
  }
}

/** True when the connection string's server is this machine (so its data directory's mount can be looked up here). */
export function isLocalServer(connectionString: string): boolean {
  const host = new URL(connectionString).hostname;
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

/** The data directory of the broker tools/kafka/kafka.sh started on `brokers`' first port, when its run directory says. */
export function kafkaDataDirectory(brokers: string, repositoryRoot = process.cwd()): DataDirectory | undefined {
  const port = brokers.split(',')[0]?.split(':')[1];
  try {
    const path = readFileSync(
      join(repositoryRoot, 'tools', 'kafka', '.cache', 'run', String(port), 'data-dir'),
      'utf8',
    ).trim();
    return path ? localDataDirectory(path) : undefined;
  } catch {
    return undefined;
  }
}

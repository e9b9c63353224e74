import { chmodSync, mkdirSync, statSync } from 'node:fs';
import type { Logger } from './logger';

/** Owner only: the data directory holds every event store and the message log (ADR 0021). */
export const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * Creates the data directory with mode 0700, or tightens an existing one that group or others
 * may enter, and says so: a directory made by an older release (or by hand) with the usual 0755
 * let every local user read the stores' files.
 */
export function preparePrivateDataDirectory(path: string, logger?: Pick<Logger, 'warn'>): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(path, PRIVATE_DIRECTORY_MODE);
  logger?.warn(
    { dataDir: path, mode: mode.toString(8), now: PRIVATE_DIRECTORY_MODE.toString(8) },
    'the data directory was open to other users: tightened to 0700',
  );
}

/** Files and directories this process creates are its owner's alone (the apps' main.ts; libraries set modes themselves). */
export function restrictNewFilesToOwner(): void {
  process.umask(0o077);
}

import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

/** Owner read and write only: events and messages are customers' data (ADR 0021). */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes a SQLite database file private before SQLite opens it: created with mode 0600 (whatever
 * the umask), or tightened to it when it exists with group or world access. SQLite creates a
 * database's -wal, -shm and -journal files with the database file's own mode; any that exist
 * already are tightened too. Done where the files are opened, so library use is safe as well as
 * the apps (which also set a umask of 077).
 */
export function makePrivateDatabaseFile(path: string): void {
  if (path === '' || path === ':memory:' || path.startsWith('file:')) return;
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE_MODE);
  }
}

/**
 * Which unique constraint of the events table an insert broke. better-sqlite3 reports
 * SQLITE_CONSTRAINT_UNIQUE with the constrained columns in the message
 * ("UNIQUE constraint failed: events.stream, events.version"); the message is the only place
 * SQLite names the index, so it is read here and nowhere else.
 *
 * Duck-typed on purpose: the native addon is loaded once per process, so its SqliteError may
 * come from another realm (another Jest module registry, a worker) and fail `instanceof Error`.
 */
export type UniqueViolation = 'stream_version' | 'event_id';

export function uniqueViolationOf(error: unknown): UniqueViolation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' || typeof message !== 'string') return undefined;
  if (message.includes('events.stream, events.version')) return 'stream_version';
  if (message.includes('events.id')) return 'event_id';
  return undefined;
}

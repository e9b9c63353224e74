/**
 * What a PostgreSQL error means for an append. Read from the SQLSTATE and the constraint
 * name only (never the message text, which is localised). Duck-typed rather than
 * `instanceof DatabaseError`, because pg-protocol may be loaded twice (Jest module
 * registries, hoisted copies) and the class would then differ.
 */
export type AppendFailure = 'duplicate_event_id' | 'stream_version_taken' | 'concurrent_transaction';

const UNIQUE_VIOLATION = '23505';
/** Both mean "another transaction got in the way; retrying after a re-read will work". */
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

export function appendFailureOf(error: unknown): AppendFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === UNIQUE_VIOLATION && constraint === 'events_id_key') return 'duplicate_event_id';
  if (code === UNIQUE_VIOLATION && constraint === 'events_stream_version_key') return 'stream_version_taken';
  if (code === UNIQUE_VIOLATION && constraint === 'streams_pkey') return 'stream_version_taken';
  if (code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED) return 'concurrent_transaction';
  return undefined;
}

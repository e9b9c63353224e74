import { DuplicateEventId, ExpectedVersionConflict } from '@stockade/event-store';
import { InventoryWriteContention } from './inventory-write-contention';
import { ShardNotOwned } from './shard-ownership';

/**
 * What the single writer does when deciding or appending a batch failed: the recovery table of
 * InventoryWriter.writeBatch, as Emmett's command handler asks one `shouldRetryError`.
 *
 * - `shard-moved`: a shard changed owner while the batch was decided (a lost fence arrives here
 *   as ShardNotOwned, once the ownership forgot the shard): decide again, its commands now fail
 *   alone. Costs an attempt.
 * - `already-stored`: a redelivered command's events are in the store already: it is done,
 *   the rest is decided again. Costs no attempt; each command of the batch can be it once.
 * - `version-conflict`: another process wrote the touched streams: re-read and decide again.
 *   Costs an attempt; out of attempts it is InventoryWriteContention (retriable by the caller).
 * - `fail`: anything else, or a retry out of attempts: every command of the batch fails with it.
 */
export type BatchRecovery =
  | { readonly kind: 'shard-moved' }
  | { readonly kind: 'already-stored'; readonly commandId: string }
  | { readonly kind: 'version-conflict' }
  | { readonly kind: 'fail'; readonly error: unknown };

export interface BatchAttempt {
  /** 1 for the first try; only the retries that cost an attempt count. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The command of the batch that produced this event id, if any. */
  readonly commandOwning: (eventId: string) => string | undefined;
  /** Commands already found stored (and skipped) in this batch. */
  readonly alreadyStored: ReadonlySet<string>;
}

export function batchRecoveryFor(error: unknown, at: BatchAttempt): BatchRecovery {
  const attemptsLeft = at.attempt < at.maxAttempts;
  if (error instanceof ShardNotOwned) return attemptsLeft ? { kind: 'shard-moved' } : { kind: 'fail', error };
  if (error instanceof DuplicateEventId) {
    const commandId = at.commandOwning(error.eventId);
    // An id no command of the batch made, or one already skipped: the store disagrees with itself, nothing to retry.
    return commandId !== undefined && !at.alreadyStored.has(commandId)
      ? { kind: 'already-stored', commandId }
      : { kind: 'fail', error };
  }
  if (error instanceof ExpectedVersionConflict)
    return attemptsLeft
      ? { kind: 'version-conflict' }
      : { kind: 'fail', error: new InventoryWriteContention(at.attempt, error) };
  return { kind: 'fail', error };
}

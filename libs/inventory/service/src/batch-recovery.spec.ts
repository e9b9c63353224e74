import { DuplicateEventId, ExpectedVersionConflict, FenceLost } from '@stockade/event-store';
import { BatchAttempt, batchRecoveryFor } from './batch-recovery';
import { InventoryWriteContention } from './inventory-write-contention';
import { ShardNotOwned } from './shard-ownership';

const first: BatchAttempt = {
  attempt: 1,
  maxAttempts: 5,
  commandOwning: (eventId) => (eventId === 'event-1' ? 'command-1' : undefined),
  alreadyStored: new Set(),
};
const last: BatchAttempt = { ...first, attempt: 5 };
const conflict = new ExpectedVersionConflict('stock-lamp', 3, 4);

describe('the recovery of a failed inventory batch', () => {
  it('given a shard that moved, when attempts are left, then the batch is decided again', () => {
    expect(batchRecoveryFor(new ShardNotOwned(2), first)).toEqual({ kind: 'shard-moved' });
  });

  it('given a shard that moved, when it was the last attempt, then every command fails with ShardNotOwned', () => {
    const error = new ShardNotOwned(2);
    expect(batchRecoveryFor(error, last)).toEqual({ kind: 'fail', error });
  });

  it('given a duplicate event id made by a command of the batch, then that command is already stored, even on the last attempt', () => {
    expect(batchRecoveryFor(new DuplicateEventId('event-1'), last)).toEqual({
      kind: 'already-stored',
      commandId: 'command-1',
    });
  });

  it('given a duplicate event id of a command already skipped, then the batch fails with it', () => {
    const error = new DuplicateEventId('event-1');
    expect(batchRecoveryFor(error, { ...first, alreadyStored: new Set(['command-1']) })).toEqual({
      kind: 'fail',
      error,
    });
  });

  it('given a duplicate event id no command of the batch made, then the batch fails with it', () => {
    const error = new DuplicateEventId('event-9');
    expect(batchRecoveryFor(error, first)).toEqual({ kind: 'fail', error });
  });

  it('given a version conflict, when attempts are left, then the streams are read and the batch decided again', () => {
    expect(batchRecoveryFor(conflict, first)).toEqual({ kind: 'version-conflict' });
  });

  it('given a version conflict on the last attempt, then the batch fails with a retriable InventoryWriteContention naming the attempts', () => {
    const recovery = batchRecoveryFor(conflict, last);
    expect(recovery.kind).toBe('fail');
    const error = recovery.kind === 'fail' ? recovery.error : undefined;
    expect(error).toBeInstanceOf(InventoryWriteContention);
    expect(error).toMatchObject({ retriable: true, cause: conflict, message: expect.stringContaining('5 attempts') });
  });

  it.each([
    ['a lost fence the writer did not translate (no ownership)', new FenceLost('inventory-shard-1', 1, 2)],
    ['a store outage', new Error('connection refused')],
    ['a thrown string', 'boom'],
  ])('given %s, then the batch fails with it as it is', (_name, error) => {
    expect(batchRecoveryFor(error, first)).toEqual({ kind: 'fail', error });
  });
});

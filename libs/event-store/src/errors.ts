import { StockadeError, ValidationError } from '@stockade/kernel';
import type { AppendOptions, AppendRequest, ExpectedVersion, Fence } from './event-store';

/**
 * The stream was not at the version the writer expected: another writer got there first.
 * Adapters translate their vendor's error (SQLite/PostgreSQL unique violation, KurrentDB
 * WrongExpectedVersionError) into this one; it is the only store error worth retrying
 * after re-reading the stream.
 */
export class ExpectedVersionConflict extends StockadeError {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super('CONFLICT', `stream ${stream}: expected version ${String(expected)}, actual ${actual}`, { retriable: true });
  }
}

/** Two events with the same id: a deterministic id met its earlier self. Not retriable. */
export class DuplicateEventId extends StockadeError {
  constructor(readonly eventId: string) {
    super('CONFLICT', `event id ${eventId} is already stored`);
  }
}

/**
 * An append carried a fence whose epoch has moved on: another holder took it (a shard changed
 * owner) and nothing of the append was stored. Not retriable as it is: the caller is no longer
 * the holder, and only taking the fence again (if it is given back) makes its appends count.
 */
export class FenceLost extends StockadeError {
  constructor(
    readonly fence: string,
    readonly heldEpoch: number,
    readonly currentEpoch: number,
  ) {
    super(
      'CONFLICT',
      `fence ${fence} is at epoch ${currentEpoch}, the append held ${heldEpoch}: another holder took it`,
    );
  }
}

/** The fences of an append that are not at their held epoch (shared by adapters). */
export function lostFence(fences: readonly Fence[], currentEpoch: (name: string) => number): FenceLost | undefined {
  for (const fence of fences) {
    const current = currentEpoch(fence.name);
    if (current !== fence.epoch) return new FenceLost(fence.name, fence.epoch, current);
  }
  return undefined;
}

/** Refuses fenced appends on an adapter that has no fences (SQLite, KurrentDB): sharding needs one that does. */
export function refuseFences(options: AppendOptions | undefined, adapter: string): void {
  if (options?.fences?.length)
    throw new ValidationError([
      { field: 'fences', message: `${adapter} has no fences; a sharded inventory needs PostgreSQL` },
    ]);
}

/** Checks an expected version against the actual one (-1 = no stream); shared by adapters. */
export function satisfiesExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return expected === actual;
  }
}

/**
 * Rejects a batch that names a stream twice, before anything is written. The second request's
 * expected version would be ambiguous (the version before the batch, or after the first
 * request?) and adapters would answer differently; one request per stream keeps it exact.
 * Shared by adapters.
 */
export function rejectStreamsNamedTwice(requests: readonly AppendRequest[]): void {
  const seen = new Set<string>();
  requests.forEach((request, index) => {
    if (seen.has(request.stream)) {
      throw new ValidationError([
        {
          field: `requests[${index}].stream`,
          message: `stream ${request.stream} appears more than once in one append; merge its events into one request`,
        },
      ]);
    }
    seen.add(request.stream);
  });
}

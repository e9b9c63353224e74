import type { AppendStreamState, CurrentStreamState } from '@kurrent/kurrentdb-client';
import { ValidationError } from '@stockade/kernel';
import type { ExpectedVersion } from '../event-store';

/**
 * Our expected versions in the client's terms. The literals are the client's own constants
 * (ANY, NO_STREAM, STREAM_EXISTS); they are spelled out, with the client's types checking
 * them at compile time, so that this pure mapping does not load the gRPC client.
 *
 * A number is the revision of the stream's last event (KurrentDB revisions are 0-based like
 * our versions). -1 means "no events", which the port treats as equal to 'no_stream'
 * (see satisfiesExpectedVersion), so it maps to NO_STREAM rather than to an invalid revision.
 */
export function toKurrentStreamState(expected: ExpectedVersion): AppendStreamState {
  switch (expected) {
    case 'any':
      return 'any';
    case 'no_stream':
      return 'no_stream';
    case 'stream_exists':
      return 'stream_exists';
    default:
      if (!Number.isSafeInteger(expected) || expected < -1) {
        throw new ValidationError([
          { field: 'expectedVersion', message: `${String(expected)} is not a stream version (an integer >= -1)` },
        ]);
      }
      return expected === -1 ? 'no_stream' : BigInt(expected);
  }
}

/**
 * The actual state a WrongExpectedVersionError or consistency violation reports, as our
 * version. KurrentDB reports deleted (-5) and tombstoned (-6) streams with negative
 * revisions; to the port such a stream has no events, so every negative state is -1.
 */
export function fromKurrentStreamState(actual: CurrentStreamState): number {
  if (actual === 'no_stream' || actual < 0n) return -1;
  return Number(actual);
}

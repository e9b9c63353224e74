import type { CurrentStreamState } from '@kurrent/kurrentdb-client';
import { DuplicateEventId, ExpectedVersionConflict } from '../errors';
import type { AppendRequest } from '../event-store';
import { fromKurrentStreamState } from './kurrent-expected-version';

/** What a failed append was trying to do, looked up by the stored stream name an error names. */
export interface AppendAttempt {
  /** The port request that wrote to this stored stream. */
  requestFor(storedStream: string): AppendRequest | undefined;
  /** The event id this stored stream claims (see planAppend). */
  eventIdClaimedBy(storedStream: string): string | undefined;
}

/**
 * Turns the client's append errors into the port's. Duck-typed on the client's `type` tag
 * rather than `instanceof`, because Jest module registries or hoisted copies can load the
 * client twice and its classes would then differ.
 *
 * - WrongExpectedVersionError (v1 append, and the v2 StreamRevisionConflict that
 *   multiStreamAppend reports) on an id claim stream: the id was claimed before, so
 *   DuplicateEventId; on a port stream: ExpectedVersionConflict with the actual version.
 * - AppendConsistencyViolationError (appendRecords, KurrentDB 26.1+): the same, for its
 *   first violation.
 * Anything else is returned unchanged.
 */
export function translateAppendFailure(error: unknown, attempt: AppendAttempt): unknown {
  const refused = refusedStream(error);
  if (!refused) return error;
  const claimedId = attempt.eventIdClaimedBy(refused.streamName);
  if (claimedId !== undefined) return new DuplicateEventId(claimedId);
  const request = attempt.requestFor(refused.streamName);
  if (!request) return error;
  return new ExpectedVersionConflict(
    request.stream,
    request.expectedVersion,
    fromKurrentStreamState(refused.actualState),
  );
}

/** True for the client's StreamNotFoundError (reading a stream that was never written). */
export function isStreamNotFound(error: unknown): boolean {
  return typeOf(error) === 'stream-not-found';
}

interface RefusedStream {
  readonly streamName: string;
  readonly actualState: CurrentStreamState;
}

function refusedStream(error: unknown): RefusedStream | undefined {
  switch (typeOf(error)) {
    case 'wrong-expected-version':
      return refusal(error as { streamName?: unknown; actualState?: unknown });
    case 'append-consistency-violation': {
      const [first] = ((error as { violations?: unknown }).violations ?? []) as readonly {
        streamName?: unknown;
        actualState?: unknown;
      }[];
      return first ? refusal(first) : undefined;
    }
    default:
      return undefined;
  }
}

function refusal({
  streamName,
  actualState,
}: {
  streamName?: unknown;
  actualState?: unknown;
}): RefusedStream | undefined {
  if (typeof streamName !== 'string') return undefined;
  if (actualState !== 'no_stream' && typeof actualState !== 'bigint') return undefined;
  return { streamName, actualState };
}

function typeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
}

import type { AppendStreamRequest, EventData } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { DuplicateEventId } from '../errors';
import type { AppendRequest, NewEvent } from '../event-store';
import type { AppendAttempt } from './kurrent-error-translation';
import { toKurrentStreamState } from './kurrent-expected-version';
import type { KurrentStreamNames } from './kurrent-stream-names';

export interface AppendPlan {
  /** Port streams first (in request order), then one id claim per event. */
  readonly kurrentRequests: AppendStreamRequest[];
  /** The requests that write events, with their stored names, in request order. */
  readonly writing: readonly { readonly request: AppendRequest; readonly stored: string }[];
  readonly attempt: AppendAttempt;
}

/**
 * One multiStreamAppend for a whole port call: the events of every request, plus, for every
 * event, a tiny record appended to `$stockade-event-id-<prefix><id>` expecting NO_STREAM.
 *
 * Why: the port promises that an event id is unique across the store, but KurrentDB has no
 * index by event id, and its idempotency is per stream and best effort (with ANY it only
 * remembers recent writes). A claim stream per id makes uniqueness exact and atomic: if any
 * id was claimed before, by any process, its claim fails with WrongExpectedVersion and the
 * whole transaction, events included, is rolled back; translateAppendFailure turns that
 * into DuplicateEventId. The cost is one extra (small) record and stream per event.
 *
 * Ids repeated within the call are refused here, before anything is sent: the server would
 * see the same claim stream twice in one transaction.
 */
export function planAppend(
  requests: readonly AppendRequest[],
  names: KurrentStreamNames,
  encode: (event: NewEvent) => EventData,
): AppendPlan {
  rejectIdsRepeatedInCall(requests);
  const writing = requests
    .filter((request) => request.events.length > 0)
    .map((request) => ({ request, stored: names.stored(request.stream) }));
  const byStored = new Map(writing.map(({ request, stored }) => [stored, request]));
  const claims = new Map<string, string>();

  const eventRequests: AppendStreamRequest[] = writing.map(({ request, stored }) => ({
    streamName: stored,
    expectedState: toKurrentStreamState(request.expectedVersion),
    events: request.events.map(encode),
  }));
  const claimRequests: AppendStreamRequest[] = writing.flatMap(({ request, stored }) =>
    request.events.map((event) => {
      const claim = names.eventIdClaim(event.id);
      claims.set(claim, event.id);
      return { streamName: claim, expectedState: 'no_stream' as const, events: [claimRecord(stored)] };
    }),
  );

  return {
    kurrentRequests: [...eventRequests, ...claimRequests],
    writing,
    attempt: {
      requestFor: (stored) => byStored.get(stored),
      eventIdClaimedBy: (stored) => claims.get(stored),
    },
  };
}

/** Names the stream that claimed the id, for an operator tracing a DuplicateEventId. Random id: see encodeEvent. */
function claimRecord(storedStream: string): EventData {
  return {
    id: randomUUID(),
    contentType: 'application/json',
    type: 'StockadeEventIdClaimed',
    data: { stream: storedStream },
    metadata: undefined,
  };
}

function rejectIdsRepeatedInCall(requests: readonly AppendRequest[]): void {
  const seen = new Set<string>();
  for (const event of requests.flatMap((request) => request.events)) {
    if (seen.has(event.id)) throw new DuplicateEventId(event.id);
    seen.add(event.id);
  }
}

import { WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { DuplicateEventId, ExpectedVersionConflict } from '../errors';
import type { AppendRequest } from '../event-store';
import { isStreamNotFound, translateAppendFailure, type AppendAttempt } from './kurrent-error-translation';

const request: AppendRequest = { stream: 'reservation-1', expectedVersion: 3, events: [] };

const attempt: AppendAttempt = {
  requestFor: (stored) => (stored === 'test-reservation-1' ? request : undefined),
  eventIdClaimedBy: (stored) => (stored === '$stockade-event-id-test-event-7' ? 'event-7' : undefined),
};

function wrongExpectedVersion(streamName: string, current: 'no_stream' | bigint): WrongExpectedVersionError {
  return new WrongExpectedVersionError(undefined, { streamName, expected: 3n, current });
}

describe('translateAppendFailure', () => {
  it("given the client's WrongExpectedVersionError on a port stream, then it is an ExpectedVersionConflict naming the port stream, our expected version and the actual one", () => {
    const translated = translateAppendFailure(wrongExpectedVersion('test-reservation-1', 5n), attempt);

    expect(translated).toBeInstanceOf(ExpectedVersionConflict);
    expect(translated).toMatchObject({
      stream: 'reservation-1',
      expected: 3,
      actual: 5,
      code: 'CONFLICT',
      retriable: true,
    });
  });

  it('given a conflict on a stream that does not exist, then the actual version is -1', () => {
    expect(translateAppendFailure(wrongExpectedVersion('test-reservation-1', 'no_stream'), attempt)).toMatchObject({
      actual: -1,
    });
  });

  it('given a conflict on an event id claim stream, then the id was stored before: DuplicateEventId, not retriable', () => {
    const translated = translateAppendFailure(wrongExpectedVersion('$stockade-event-id-test-event-7', 0n), attempt);

    expect(translated).toBeInstanceOf(DuplicateEventId);
    expect(translated).toMatchObject({ eventId: 'event-7', retriable: false });
  });

  it('given a consistency violation (appendRecords), then its first violation is translated the same way', () => {
    const violation = {
      type: 'append-consistency-violation',
      violations: [{ checkIndex: 0, streamName: 'test-reservation-1', expectedState: 3n, actualState: 4n }],
    };

    expect(translateAppendFailure(violation, attempt)).toMatchObject({
      stream: 'reservation-1',
      expected: 3,
      actual: 4,
    });
  });

  it('given a conflict on a stream the attempt did not write, or any other error, then the error is returned unchanged', () => {
    const stranger = wrongExpectedVersion('someone-else', 1n);
    const unavailable = Object.assign(new Error('14 UNAVAILABLE'), { type: 'unavailable' });

    expect(translateAppendFailure(stranger, attempt)).toBe(stranger);
    expect(translateAppendFailure(unavailable, attempt)).toBe(unavailable);
    expect(translateAppendFailure('not an error', attempt)).toBe('not an error');
  });
});

describe('isStreamNotFound', () => {
  it("given the client's stream-not-found error, then it is recognised; other errors are not", () => {
    expect(isStreamNotFound({ type: 'stream-not-found', streamName: 'x' })).toBe(true);
    expect(isStreamNotFound({ type: 'access-denied' })).toBe(false);
    expect(isStreamNotFound(null)).toBe(false);
  });
});

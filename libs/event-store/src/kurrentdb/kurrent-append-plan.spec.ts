import { DuplicateEventId } from '../errors';
import type { NewEvent } from '../event-store';
import { anEvent } from '../testing';
import { planAppend } from './kurrent-append-plan';
import { encodeEvent } from './kurrent-event-codec';
import { KurrentStreamNames } from './kurrent-stream-names';

const names = new KurrentStreamNames('test-');
const encode = (event: NewEvent) => encodeEvent(event, { recordedAt: '2026-01-01T00:00:00.000Z', writer: 'w' });

describe('planAppend', () => {
  it('given two requests with events and one without, then the port streams come first, in order, then one NO_STREAM id claim per event', () => {
    const [a1, a2, c1] = [anEvent(), anEvent(), anEvent()];

    const plan = planAppend(
      [
        { stream: 'a', expectedVersion: 'no_stream', events: [a1, a2] },
        { stream: 'b', expectedVersion: 4, events: [] },
        { stream: 'c', expectedVersion: 2, events: [c1] },
      ],
      names,
      encode,
    );

    expect(plan.kurrentRequests.map((r) => [r.streamName, r.expectedState, r.events.length])).toEqual([
      ['test-a', 'no_stream', 2],
      ['test-c', 2n, 1],
      [names.eventIdClaim(a1.id), 'no_stream', 1],
      [names.eventIdClaim(a2.id), 'no_stream', 1],
      [names.eventIdClaim(c1.id), 'no_stream', 1],
    ]);
    expect(plan.writing.map((w) => w.stored)).toEqual(['test-a', 'test-c']);
  });

  it('then the attempt maps stored streams back to their request and claim streams back to their event id', () => {
    const event = anEvent();
    const request = { stream: 'a', expectedVersion: 'any' as const, events: [event] };

    const { attempt } = planAppend([request], names, encode);

    expect(attempt.requestFor('test-a')).toBe(request);
    expect(attempt.eventIdClaimedBy(names.eventIdClaim(event.id))).toBe(event.id);
    expect(attempt.eventIdClaimedBy('test-a')).toBeUndefined();
  });

  it('given the same event id twice in one call, even across streams, then DuplicateEventId is thrown before anything is sent', () => {
    const twice = anEvent();

    expect(() =>
      planAppend(
        [
          { stream: 'a', expectedVersion: 'any', events: [twice] },
          { stream: 'b', expectedVersion: 'any', events: [anEvent(), { ...twice }] },
        ],
        names,
        encode,
      ),
    ).toThrow(DuplicateEventId);
  });
});

import { ValidationError } from '@stockade/kernel';
import { DuplicateEventId, ExpectedVersionConflict } from '../../errors';
import type { ContractContext } from '../contract-fixtures';
import { anEvent, expectStrictlyIncreasing, rejectionOf, someEvents, uniqueStreamName } from '../contract-fixtures';

export function describeMultiStreamAppends({ store }: ContractContext): void {
  async function versionsOf(streams: readonly string[]): Promise<number[]> {
    return Promise.all(streams.map((stream) => store().streamVersion(stream)));
  }

  describe('appending to several streams at once', () => {
    it('when appending to three streams in one call, then each gets its events and the results follow the request order', async () => {
      const [a, b, c] = [uniqueStreamName(), uniqueStreamName(), uniqueStreamName()];
      await store().appendToStream(b, someEvents(1), { expectedVersion: 'no_stream' });

      const results = await store().appendToStreams([
        { stream: a, expectedVersion: 'no_stream', events: someEvents(2) },
        { stream: b, expectedVersion: 0, events: someEvents(1) },
        { stream: c, expectedVersion: 'any', events: someEvents(3) },
      ]);

      expect(results.map((r) => [r.stream, r.nextExpectedVersion])).toEqual([
        [a, 1],
        [b, 1],
        [c, 2],
      ]);
      const lastOf = async (stream: string) => (await store().readStream(stream)).at(-1)?.position;
      expect(results.map((r) => r.lastPosition)).toEqual([await lastOf(a), await lastOf(b), await lastOf(c)]);
      expectStrictlyIncreasing(results.map((r) => r.lastPosition));
    });

    it('given a conflict on the last of three streams, when appending to all three, then nothing is written on any of them', async () => {
      const [a, b, c] = [uniqueStreamName(), uniqueStreamName(), uniqueStreamName()];
      await store().appendToStream(c, someEvents(2), { expectedVersion: 'no_stream' });
      const headBefore = await store().headPosition();

      const error = await rejectionOf(
        store().appendToStreams([
          { stream: a, expectedVersion: 'no_stream', events: someEvents(2) },
          { stream: b, expectedVersion: 'any', events: someEvents(1) },
          { stream: c, expectedVersion: 0, events: someEvents(1) },
        ]),
      );

      expect(error).toBeInstanceOf(ExpectedVersionConflict);
      expect(error).toMatchObject({ stream: c, expected: 0, actual: 1 });
      expect(await versionsOf([a, b, c])).toEqual([-1, -1, 1]);
      expect(await store().headPosition()).toBe(headBefore);
    });

    it('given a stream named twice in one call, when appending, then the call is refused with a ValidationError before anything is written', async () => {
      const [a, b] = [uniqueStreamName(), uniqueStreamName()];
      const headBefore = await store().headPosition();

      const error = await rejectionOf(
        store().appendToStreams([
          { stream: a, expectedVersion: 'no_stream', events: someEvents(1) },
          { stream: b, expectedVersion: 'no_stream', events: someEvents(1) },
          { stream: a, expectedVersion: 0, events: someEvents(1) },
        ]),
      );

      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await versionsOf([a, b])).toEqual([-1, -1]);
      expect(await store().headPosition()).toBe(headBefore);
    });
  });

  describe('event ids', () => {
    it('given a stored event, when another append reuses its id in another stream, then DuplicateEventId names the id and nothing of that call is written', async () => {
      const [first, second, third] = [uniqueStreamName(), uniqueStreamName(), uniqueStreamName()];
      const stored = anEvent();
      await store().appendToStream(first, [stored], { expectedVersion: 'no_stream' });
      const headBefore = await store().headPosition();

      const error = await rejectionOf(
        store().appendToStreams([
          { stream: second, expectedVersion: 'no_stream', events: someEvents(2) },
          { stream: third, expectedVersion: 'no_stream', events: [anEvent(), anEvent({ id: stored.id })] },
        ]),
      );

      expect(error).toBeInstanceOf(DuplicateEventId);
      expect(error).toMatchObject({ eventId: stored.id, code: 'CONFLICT' });
      expect((error as DuplicateEventId).retriable).toBe(false);
      expect(await versionsOf([first, second, third])).toEqual([0, -1, -1]);
      expect(await store().headPosition()).toBe(headBefore);
    });

    it('when one call carries the same event id twice, then DuplicateEventId is thrown and nothing is written', async () => {
      const stream = uniqueStreamName();
      const twice = anEvent();

      const error = await rejectionOf(
        store().appendToStream(stream, [twice, anEvent(), { ...twice }], { expectedVersion: 'any' }),
      );

      expect(error).toBeInstanceOf(DuplicateEventId);
      expect(error).toMatchObject({ eventId: twice.id });
      expect(await store().streamVersion(stream)).toBe(-1);
    });

    it('given a redelivered command, when its events are appended again with the same ids, then the stream keeps one copy', async () => {
      const stream = uniqueStreamName();
      const events = someEvents(2);
      await store().appendToStream(stream, events, { expectedVersion: 'any' });

      await expect(store().appendToStream(stream, events, { expectedVersion: 'any' })).rejects.toBeInstanceOf(
        DuplicateEventId,
      );

      expect((await store().readStream(stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    });
  });
}

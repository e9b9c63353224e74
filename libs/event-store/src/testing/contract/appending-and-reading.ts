import type { ContractContext } from '../contract-fixtures';
import { anEvent, someEvents, uniqueStreamName } from '../contract-fixtures';

export function describeAppendingAndReading({ store }: ContractContext): void {
  describe('appending and reading a stream', () => {
    it('given a new stream, when events are appended, then reading the stream returns them in order with versions from 0', async () => {
      const stream = uniqueStreamName();
      const events = [anEvent({ type: 'First' }), anEvent({ type: 'Second' }), anEvent({ type: 'Third' })];

      await store().appendToStream(stream, events, { expectedVersion: 'no_stream' });

      const recorded = await store().readStream(stream);
      expect(recorded.map((e) => [e.id, e.type, e.stream, e.version])).toEqual(
        events.map((e, index) => [e.id, e.type, stream, index]),
      );
      recorded.forEach((e) => expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt));
    });

    it('when events are appended, then the result names the last version and the global position of the last event', async () => {
      const stream = uniqueStreamName();

      const result = await store().appendToStream(stream, someEvents(3), { expectedVersion: 'no_stream' });

      const recorded = await store().readStream(stream);
      expect(result).toEqual({ stream, nextExpectedVersion: 2, lastPosition: recorded[2]?.position });
      expect(await store().headPosition()).toBe(result.lastPosition);
    });

    it('given a stream with events, when more are appended, then versions continue where the stream ended', async () => {
      const stream = uniqueStreamName();
      await store().appendToStream(stream, someEvents(2), { expectedVersion: 'no_stream' });

      const result = await store().appendToStream(stream, someEvents(2), { expectedVersion: 1 });

      expect(result.nextExpectedVersion).toBe(3);
      expect((await store().readStream(stream)).map((e) => e.version)).toEqual([0, 1, 2, 3]);
      expect(await store().streamVersion(stream)).toBe(3);
    });

    it('given a stream of five events, when reading from version 2, then only versions 2 to 4 are returned', async () => {
      const stream = uniqueStreamName();
      await store().appendToStream(stream, someEvents(5), { expectedVersion: 'no_stream' });

      const recorded = await store().readStream(stream, { fromVersion: 2 });

      expect(recorded.map((e) => e.version)).toEqual([2, 3, 4]);
      expect(await store().readStream(stream, { fromVersion: 5 })).toEqual([]);
    });

    it('given a stream that was never written, then reading it returns nothing and its version is -1', async () => {
      const stream = uniqueStreamName();

      expect(await store().readStream(stream)).toEqual([]);
      expect(await store().streamVersion(stream)).toBe(-1);
    });

    it('given events appended to other streams, then reading a stream returns only its own events', async () => {
      const [mine, other] = [uniqueStreamName(), uniqueStreamName()];
      await store().appendToStream(mine, [anEvent()], { expectedVersion: 'no_stream' });
      await store().appendToStream(other, [anEvent()], { expectedVersion: 'no_stream' });
      await store().appendToStream(mine, [anEvent()], { expectedVersion: 0 });

      expect((await store().readStream(mine)).map((e) => e.stream)).toEqual([mine, mine]);
    });

    it('when an empty list of events is appended to a new stream, then nothing is written and the stream still does not exist', async () => {
      const stream = uniqueStreamName();
      const headBefore = await store().headPosition();

      const result = await store().appendToStream(stream, [], { expectedVersion: 'any' });

      expect(result).toEqual({ stream, nextExpectedVersion: -1, lastPosition: 0 });
      expect(await store().streamVersion(stream)).toBe(-1);
      expect(await store().headPosition()).toBe(headBefore);
    });

    it('when an empty list of events is appended to an existing stream, then its version is reported unchanged', async () => {
      const stream = uniqueStreamName();
      await store().appendToStream(stream, someEvents(2), { expectedVersion: 'no_stream' });

      const result = await store().appendToStream(stream, [], { expectedVersion: 1 });

      expect(result).toEqual({ stream, nextExpectedVersion: 1, lastPosition: 0 });
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it('when an empty list of requests is appended, then nothing happens', async () => {
      const headBefore = await store().headPosition();

      expect(await store().appendToStreams([])).toEqual([]);
      expect(await store().headPosition()).toBe(headBefore);
    });
  });
}

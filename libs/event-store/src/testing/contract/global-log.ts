import type { RecordedEvent } from '../../event-store';
import type { ContractContext } from '../contract-fixtures';
import { anEvent, expectStrictlyIncreasing, someEvents, uniqueStreamName } from '../contract-fixtures';

export function describeGlobalLog({ store }: ContractContext): void {
  /** Appends A, B, A, C (one event each) and returns the ids in the order they were written. */
  async function givenInterleavedAppends(prefix: string): Promise<{ head: number; ids: string[]; streams: string[] }> {
    const head = await store().headPosition();
    const streams = [uniqueStreamName(`${prefix}a`), uniqueStreamName(`${prefix}b`), uniqueStreamName(`${prefix}c`)];
    const writes = [streams[0], streams[1], streams[0], streams[2]] as string[];
    const ids: string[] = [];
    for (const stream of writes) {
      const event = anEvent();
      await store().appendToStream(stream, [event], { expectedVersion: 'any' });
      ids.push(event.id);
    }
    return { head, ids, streams };
  }

  const idsOf = (events: readonly RecordedEvent[]) => events.map((e) => e.id);

  describe('the global log', () => {
    it('given appends interleaved across streams, when reading all, then events come in write order with strictly increasing positions', async () => {
      const { head, ids } = await givenInterleavedAppends(uniqueStreamName('log'));

      const page = await store().readAll({ after: head });

      expect(idsOf(page)).toEqual(ids);
      expectStrictlyIncreasing(page.map((e) => e.position));
      expect(page.map((e) => e.version)).toEqual([0, 0, 1, 0]);
    });

    it('when reading all after a position, then the event at that position is excluded', async () => {
      const { head, ids } = await givenInterleavedAppends(uniqueStreamName('log'));
      const [first] = await store().readAll({ after: head, limit: 1 });

      const rest = await store().readAll({ after: first?.position });

      expect(idsOf(rest)).toEqual(ids.slice(1));
    });

    it('when paging with a limit and the last position of each page, then every event is read exactly once', async () => {
      const { head, ids } = await givenInterleavedAppends(uniqueStreamName('log'));
      const seen: string[] = [];

      let page = await store().readAll({ after: head, limit: 3 });
      while (page.length > 0) {
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...idsOf(page));
        page = await store().readAll({ after: (page.at(-1) as RecordedEvent).position, limit: 3 });
      }

      expect(seen).toEqual(ids);
    });

    it('when reading all without a limit, then at most 1000 events are returned', async () => {
      const head = await store().headPosition();
      const stream = uniqueStreamName();
      await store().appendToStream(stream, someEvents(1001), { expectedVersion: 'no_stream' });

      const page = await store().readAll({ after: head });

      expect(page).toHaveLength(1000);
      expect(page.at(-1)?.version).toBe(999);
    });

    it('when reading all with stream prefixes, then only streams starting with one of them are returned', async () => {
      const prefix = uniqueStreamName('log');
      const { head, ids } = await givenInterleavedAppends(prefix);

      const aAndC = await store().readAll({ after: head, streamPrefixes: [`${prefix}a`, `${prefix}c`] });
      const none = await store().readAll({ after: head, streamPrefixes: [`${prefix}z`] });

      expect(idsOf(aAndC)).toEqual([ids[0], ids[2], ids[3]]);
      expect(none).toEqual([]);
    });

    it('given a prefix that differs from a stream name only in letter case, then that stream is not matched', async () => {
      const head = await store().headPosition();
      const prefix = uniqueStreamName('CaseTest');
      await store().appendToStream(`${prefix}-stream`, [anEvent()], { expectedVersion: 'no_stream' });

      expect(await store().readAll({ after: head, streamPrefixes: [prefix.toLowerCase()] })).toEqual([]);
    });

    it('when events are appended, then the head position is the position of the last one', async () => {
      const stream = uniqueStreamName();

      const result = await store().appendToStream(stream, someEvents(2), { expectedVersion: 'no_stream' });

      expect(await store().headPosition()).toBe(result.lastPosition);
      expect((await store().readAll({ after: result.lastPosition - 1 })).map((e) => e.stream)).toEqual([stream]);
    });
  });
}

/**
 * The full EventStore contract against a real KurrentDB (25.1 or later), plus what only a
 * shared server shows. It needs KURRENTDB_URL, e.g.
 *   KURRENTDB_URL='kurrentdb://127.0.0.1:2113?tls=false' npx jest --selectProjects event-store kurrent
 * Without it the whole file is registered with describe.skip, so Jest reports these tests
 * as skipped (not passed): this machine and its CI have no KurrentDB server.
 *
 * Each run uses a random stream prefix, so runs and other spec files sharing the server
 * never see each other's events.
 */
import { ManualClock } from '@stockade/kernel';
import { randomBytes } from 'node:crypto';
import { DuplicateEventId, ExpectedVersionConflict } from '../errors';
import {
  anEvent,
  describeEventStoreContract,
  describeSnapshotStoreContract,
  someEvents,
  uniqueStreamName,
} from '../testing';
import { KurrentEventStore, type KurrentEventStoreOptions } from './kurrent-event-store';

const KURRENTDB_URL = process.env['KURRENTDB_URL'];
const describeIfKurrent = KURRENTDB_URL ? describe : describe.skip;

const streamPrefix = `es-test-${randomBytes(6).toString('hex')}-`;
const openStore = (options: Partial<KurrentEventStoreOptions> = {}) =>
  KurrentEventStore.open({ connectionString: KURRENTDB_URL ?? 'kurrentdb://unset', streamPrefix, ...options });

describeIfKurrent('KurrentEventStore', () => {
  describeEventStoreContract('KurrentDB', () => openStore());
  describeSnapshotStoreContract('KurrentDB', () => openStore());

  describe('shared by several processes', () => {
    const opened: KurrentEventStore[] = [];
    const open = async (options: Partial<KurrentEventStoreOptions> = {}) => {
      const store = await openStore(options);
      opened.push(store);
      return store;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('given two stores that both read version 0, when both append expecting 0, then the second gets ExpectedVersionConflict', async () => {
      const [writerA, writerB] = [await open(), await open()];
      const stream = uniqueStreamName();
      await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });

      await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 0 });
      const refused = writerB.appendToStream(stream, [anEvent()], { expectedVersion: 0 });

      await expect(refused).rejects.toBeInstanceOf(ExpectedVersionConflict);
      await expect(refused).rejects.toMatchObject({ stream, expected: 0, actual: 1 });
    });

    it('given an event id stored by one store, when another store appends it to another stream, then DuplicateEventId', async () => {
      const [writerA, writerB] = [await open(), await open()];
      const event = anEvent();
      await writerA.appendToStream(uniqueStreamName(), [event], { expectedVersion: 'any' });

      await expect(
        writerB.appendToStream(uniqueStreamName(), [event], { expectedVersion: 'any' }),
      ).rejects.toBeInstanceOf(DuplicateEventId);
    });

    it('given a listener on one store, when another store appends, then the subscription wakes it', async () => {
      const [listening, other] = [await open(), await open()];
      const woken = new Promise<void>((resolve) => listening.onAppended(resolve));

      await other.appendToStream(uniqueStreamName(), [anEvent()], { expectedVersion: 'no_stream' });

      await expect(woken).resolves.toBeUndefined();
    });

    it('given a store with another stream prefix, then neither sees the other in the global log', async () => {
      const [mine, theirs] = [await open(), await open({ streamPrefix: `${streamPrefix}other-` })];
      const head = await mine.headPosition();

      await theirs.appendToStream(uniqueStreamName(), someEvents(2), { expectedVersion: 'no_stream' });

      expect(await mine.readAll({ after: head })).toEqual([]);
    });

    it('given a fresh store and a checkpoint saved by an earlier one, when reading all after it, then paging resumes exactly there', async () => {
      const writer = await open();
      const stream = uniqueStreamName();
      const events = someEvents(3);
      const [first] = [await writer.appendToStream(stream, events.slice(0, 1), { expectedVersion: 'no_stream' })];
      await writer.appendToStream(stream, events.slice(1), { expectedVersion: 0 });
      await writer.saveCheckpoint(`relay-${stream}`, first?.lastPosition ?? 0);

      const restarted = await open();
      const after = (await restarted.readCheckpoint(`relay-${stream}`)) as number;

      expect((await restarted.readAll({ after })).map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
    });
  });

  it('given a clock, when events are appended, then they are recorded at its time', async () => {
    const store = await openStore({ clock: new ManualClock('2026-05-01T10:00:00.000Z') });
    try {
      const stream = uniqueStreamName();
      await store.appendToStream(stream, someEvents(2), { expectedVersion: 'no_stream' });

      expect((await store.readStream(stream)).map((e) => e.recordedAt)).toEqual([
        '2026-05-01T10:00:00.000Z',
        '2026-05-01T10:00:00.000Z',
      ]);
    } finally {
      await store.close();
    }
  });
});

import { ManualClock } from '@stockade/kernel';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventId, ExpectedVersionConflict } from '../errors';
import type { EventStore } from '../event-store';
import {
  anEvent,
  describeEventStoreContract,
  describeSnapshotStoreContract,
  someEvents,
  uniqueStreamName,
} from '../testing';
import { SqliteEventStore } from './sqlite-event-store';

function aTempFile(): string {
  return join(tmpdir(), `stockade-event-store-${randomUUID()}.db`);
}

/** The database file and its WAL companions. */
function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

const files = new WeakMap<EventStore, string>();

async function openOnAFile(): Promise<EventStore> {
  const path = aTempFile();
  const store = SqliteEventStore.open(path);
  files.set(store, path);
  return store;
}

async function closeAndRemove(store: EventStore): Promise<void> {
  await store.close();
  removeDatabase(files.get(store) as string);
}

describeEventStoreContract('SQLite file', openOnAFile, closeAndRemove);
describeEventStoreContract('SQLite in memory', async () => SqliteEventStore.open(':memory:'));
describeSnapshotStoreContract('SQLite file', openOnAFile, closeAndRemove);
describeSnapshotStoreContract('SQLite in memory', async () => SqliteEventStore.open(':memory:'));

describe('SqliteEventStore on a file', () => {
  let path: string;
  const opened: SqliteEventStore[] = [];
  const open = (options?: Parameters<typeof SqliteEventStore.open>[1]) => {
    const store = SqliteEventStore.open(path, options);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    path = aTempFile();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    removeDatabase(path);
  });

  it('given events and a checkpoint, when the file is closed and opened again, then both are still there', async () => {
    const stream = uniqueStreamName();
    const events = someEvents(3);
    const first = open();
    const { lastPosition } = await first.appendToStream(stream, events, { expectedVersion: 'no_stream' });
    await first.saveCheckpoint('relay', lastPosition);
    await first.close();

    const reopened = open();

    expect((await reopened.readStream(stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await reopened.readCheckpoint('relay')).toBe(lastPosition);
    expect(await reopened.headPosition()).toBe(lastPosition);
    expect((await reopened.appendToStream(stream, [anEvent()], { expectedVersion: 2 })).lastPosition).toBeGreaterThan(
      lastPosition,
    );
  });

  it('given two stores on the same file that both read version 0, when both append expecting 0, then the second gets ExpectedVersionConflict', async () => {
    const [writerA, writerB] = [open(), open()];
    const stream = uniqueStreamName();
    await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });
    expect(await writerB.streamVersion(stream)).toBe(0);

    await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 0 });
    const refused = writerB.appendToStream(stream, [anEvent()], { expectedVersion: 0 });

    await expect(refused).rejects.toBeInstanceOf(ExpectedVersionConflict);
    await expect(refused).rejects.toMatchObject({ stream, expected: 0, actual: 1 });
    expect((await writerB.readStream(stream)).map((e) => e.version)).toEqual([0, 1]);
  });

  it('given two stores on the same file, when both append to the same streams in turn, then every event is kept with consecutive versions and increasing positions', async () => {
    const [writerA, writerB] = [open(), open()];
    const streams = [uniqueStreamName(), uniqueStreamName()];
    const writes = Array.from({ length: 20 }, (_, index) => ({
      writer: index % 2 === 0 ? writerA : writerB,
      stream: streams[index % 3 === 0 ? 0 : 1] as string,
    }));

    await Promise.all(
      writes.map(({ writer, stream }) => writer.appendToStream(stream, someEvents(2), { expectedVersion: 'any' })),
    );

    for (const reader of [writerA, writerB]) {
      const log = await reader.readAll();
      expect(log).toHaveLength(40);
      expect(new Set(log.map((e) => e.position)).size).toBe(40);
      for (const stream of streams) {
        const versions = (await reader.readStream(stream)).map((e) => e.version);
        expect(versions).toEqual(versions.map((_, index) => index));
      }
    }
  });

  it('given an event written by one store, when the other store appends the same event id, then DuplicateEventId', async () => {
    const [writerA, writerB] = [open(), open()];
    const event = anEvent();
    await writerA.appendToStream(uniqueStreamName(), [event], { expectedVersion: 'no_stream' });

    await expect(
      writerB.appendToStream(uniqueStreamName(), [event], { expectedVersion: 'no_stream' }),
    ).rejects.toBeInstanceOf(DuplicateEventId);
  });

  it('given two stores on one file, when one appends, then only the other one sees its external write marker move', async () => {
    const [writer, other] = [open(), open()];
    const [writerBefore, otherBefore] = [writer.externalWriteMarker(), other.externalWriteMarker()];

    await writer.appendToStream(uniqueStreamName(), [anEvent()], { expectedVersion: 'no_stream' });

    expect(writer.externalWriteMarker()).toBe(writerBefore);
    expect(other.externalWriteMarker()).not.toBe(otherBefore);
  });

  it('given a clock, when events are appended, then they are recorded at its time', async () => {
    const store = open({ clock: new ManualClock('2026-05-01T10:00:00.000Z') });
    const stream = uniqueStreamName();

    await store.appendToStream(stream, someEvents(2), { expectedVersion: 'no_stream' });

    expect((await store.readStream(stream)).map((e) => e.recordedAt)).toEqual([
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T10:00:00.000Z',
    ]);
  });

  it('given a snapshot, when the file is closed and opened again, then the snapshot is still there', async () => {
    const snapshot = {
      stream: uniqueStreamName(),
      version: 499,
      eventId: 'e-499',
      schemaVersion: 1,
      state: { onHand: 3 },
    };
    const first = open();
    await first.snapshotStore().save([snapshot]);
    await first.close();

    expect(await open().snapshotStore().load(snapshot.stream)).toEqual(snapshot);
  });

  it('when a store saves a snapshot, then its own external write marker stays (same connection) and only the other store sees it move', async () => {
    const [writer, other] = [open(), open()];
    const [writerBefore, otherBefore] = [writer.externalWriteMarker(), other.externalWriteMarker()];

    await writer
      .snapshotStore()
      .save([{ stream: uniqueStreamName(), version: 0, eventId: 'e-0', schemaVersion: 1, state: {} }]);

    expect(writer.externalWriteMarker()).toBe(writerBefore);
    expect(other.externalWriteMarker()).not.toBe(otherBefore);
  });

  it('when a stream is read from a version, then SQLite seeks the (stream, version) index instead of scanning', async () => {
    open();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path, { readonly: true });
    try {
      const plan = raw
        .prepare('EXPLAIN QUERY PLAN SELECT * FROM events WHERE stream = ? AND version >= ? ORDER BY version')
        .all('s', 0) as { detail: string }[];
      expect(plan.map((step) => step.detail)).toEqual([
        expect.stringMatching(/^SEARCH events USING INDEX sqlite_autoindex_events_\d \(stream=\? AND version>\?\)$/),
      ]);
    } finally {
      raw.close();
    }
  });

  it('when a store is opened, then the file is in WAL mode so readers do not block the writer', async () => {
    open();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });
});

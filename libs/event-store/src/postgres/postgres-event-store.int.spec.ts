import { ManualClock, ValidationError } from '@stockade/kernel';
import { Client } from 'pg';
import { ExpectedVersionConflict } from '../errors';
import {
  anEvent,
  describeEventStoreContract,
  describeSnapshotStoreContract,
  someEvents,
  uniqueStreamName,
} from '../testing';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import { dropSchema, POSTGRES_URL, randomSchemaName, requirePostgres } from './postgres-test-database';

const schema = randomSchemaName();
const openStore = (options: Partial<PostgresEventStoreOptions> = {}) =>
  PostgresEventStore.open({ connectionString: POSTGRES_URL, schema, ...options });

beforeAll(requirePostgres);
afterAll(() => dropSchema(schema));

describeEventStoreContract('PostgreSQL', () => openStore());
describeSnapshotStoreContract('PostgreSQL', () => openStore());

describe('PostgresEventStore shared by several processes', () => {
  const opened: PostgresEventStore[] = [];
  const open = async (options: Partial<PostgresEventStoreOptions> = {}) => {
    const store = await openStore(options);
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('given two stores that both read version 0, when both append expecting 0, then the second gets ExpectedVersionConflict and the stream stays intact', async () => {
    const [writerA, writerB] = [await open(), await open()];
    const stream = uniqueStreamName();
    await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });
    expect(await writerB.streamVersion(stream)).toBe(0);

    await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 0 });
    const refused = writerB.appendToStream(stream, [anEvent()], { expectedVersion: 0 });

    await expect(refused).rejects.toBeInstanceOf(ExpectedVersionConflict);
    await expect(refused).rejects.toMatchObject({ stream, expected: 0, actual: 1 });
    expect((await writerB.readStream(stream)).map((e) => e.version)).toEqual([0, 1]);
  });

  it('given two stores, when twenty writers split between them race on one version, then one wins and the others get a conflict', async () => {
    const [writerA, writerB] = [await open(), await open()];
    const stream = uniqueStreamName();
    await writerA.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? writerA : writerB).appendToStream(stream, someEvents(2), { expectedVersion: 0 }),
      ),
    );

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    outcomes.forEach((o) => o.status === 'rejected' && expect(o.reason).toBeInstanceOf(ExpectedVersionConflict));
    expect((await writerB.readStream(stream)).map((e) => e.version)).toEqual([0, 1, 2]);
  });

  it('given a listener on one store, when another store appends, then the NOTIFY wakes it, and its own appends wake it only once', async () => {
    const [listening, other] = [await open(), await open()];
    let calls = 0;
    let wokenByOther: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => (wokenByOther = resolve));
    listening.onAppended(() => {
      calls += 1;
      if (calls === 2) wokenByOther();
    });

    await listening.appendToStream(uniqueStreamName(), [anEvent()], { expectedVersion: 'no_stream' });
    await other.appendToStream(uniqueStreamName(), [anEvent()], { expectedVersion: 'no_stream' });
    await woken;

    // Notifications arrive in commit order, so an echo of our own append would have come first.
    expect(calls).toBe(2);
  });

  it('given many concurrent appenders, when a reader tails the global log meanwhile, then it never passes a position that commits later', async () => {
    const writers = [await open({ poolSize: 8 }), await open({ poolSize: 8 })];
    const reader = await open({ poolSize: 1 });
    const head = await reader.headPosition();
    let writing = true;
    const tailed: number[] = [];
    const tail = (async () => {
      let after = head;
      for (let drained = false; !drained;) {
        const stillWriting = writing;
        const page = await reader.readAll({ after });
        tailed.push(...page.map((e) => e.position));
        after = page.at(-1)?.position ?? after;
        drained = !stillWriting && page.length === 0;
      }
    })();

    const appender = async (writerIndex: number) => {
      for (let append = 0; append < 20; append++) {
        const requests = [1, 2].map(() => ({
          stream: uniqueStreamName('gap'),
          expectedVersion: 'any' as const,
          events: someEvents(1 + (append % 3)),
        }));
        await (writers[writerIndex % 2] as PostgresEventStore).appendToStreams(requests.slice(0, 1 + (append % 2)));
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, index) => appender(index)));
    writing = false;
    await tail;

    const everything = await reader.readAll({ after: head, limit: 100_000 });
    expect(everything.length).toBeGreaterThan(0);
    expect(tailed).toEqual(everything.map((e) => e.position));
  }, 60_000);

  it('given two stores opening a new schema at the same moment, then both open and share it', async () => {
    const fresh = randomSchemaName();
    try {
      const [first, second] = await Promise.all([open({ schema: fresh }), open({ schema: fresh })]);
      const stream = uniqueStreamName();

      await first.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });

      expect(await second.streamVersion(stream)).toBe(0);
    } finally {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await dropSchema(fresh);
    }
  });
});

describe('PostgresEventStore on its own', () => {
  let store: PostgresEventStore | undefined;
  afterEach(async () => store?.close());

  it('given a clock, when events are appended, then they are recorded at its time', async () => {
    store = await openStore({ clock: new ManualClock('2026-05-01T10:00:00.000Z') });
    const stream = uniqueStreamName();

    await store.appendToStream(stream, someEvents(2), { expectedVersion: 'no_stream' });

    expect((await store.readStream(stream)).map((e) => e.recordedAt)).toEqual([
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T10:00:00.000Z',
    ]);
  });

  it('given stream prefixes containing LIKE wildcards, when reading all, then % and _ match only themselves', async () => {
    store = await openStore();
    const prefix = uniqueStreamName('like');
    const head = await store.headPosition();
    for (const suffix of ['a_b', 'axb', '100%', '100x', 'back\\slash', 'backxslash']) {
      await store.appendToStream(`${prefix}-${suffix}`, [anEvent()], { expectedVersion: 'no_stream' });
    }

    const matched = await store.readAll({
      after: head,
      streamPrefixes: [`${prefix}-a_`, `${prefix}-100%`, `${prefix}-back\\`],
    });

    expect(matched.map((e) => e.stream)).toEqual([`${prefix}-a_b`, `${prefix}-100%`, `${prefix}-back\\slash`]);
  });

  it('when 500 events for five streams are appended in one call, then each stream gets consecutive versions with increasing positions', async () => {
    store = await openStore();
    const streams = Array.from({ length: 5 }, () => uniqueStreamName('batch'));

    const results = await store.appendToStreams(
      streams.map((stream) => ({ stream, expectedVersion: 'no_stream' as const, events: someEvents(100) })),
    );

    for (const [index, stream] of streams.entries()) {
      const recorded = await store.readStream(stream);
      expect(recorded.map((e) => e.version)).toEqual(Array.from({ length: 100 }, (_, version) => version));
      recorded
        .slice(1)
        .forEach((e, i) => expect(e.position).toBeGreaterThan((recorded[i] as { position: number }).position));
      expect(results[index]).toEqual({ stream, nextExpectedVersion: 99, lastPosition: recorded.at(-1)?.position });
    }
  });

  it('given a group commit of 400 streams, some only checked, when appended in one call, then each result is its own request, in request order', async () => {
    store = await openStore();
    const existing = uniqueStreamName('checked');
    await store.appendToStream(existing, someEvents(2), { expectedVersion: 'no_stream' });
    const written = Array.from({ length: 399 }, () => uniqueStreamName('group'));
    const requests = [
      ...written
        .slice(0, 200)
        .map((stream) => ({ stream, expectedVersion: 'no_stream' as const, events: someEvents(1) })),
      { stream: existing, expectedVersion: 1, events: [] },
      ...written.slice(200).map((stream) => ({ stream, expectedVersion: 'any' as const, events: someEvents(2) })),
    ];

    const results = await store.appendToStreams(requests);

    expect(results.map((result) => result.stream)).toEqual(requests.map((request) => request.stream));
    expect(results.map((result) => result.nextExpectedVersion)).toEqual(
      requests.map((request) => (request.stream === existing ? 1 : request.events.length - 1)),
    );
    expect(results[200]?.lastPosition).toBe(0);
  });

  it('when a stream is read from a version, then the plan can use the (stream, version) index rather than a scan', async () => {
    store = await openStore();
    const client = new Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      // An empty test table would be scanned anyway; forbidding scans asks whether the index can serve the read at all.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM ${schema}.events WHERE stream = 's' AND version >= 0 ORDER BY version`,
      );
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
        /Index Scan (using|on) events_stream_version_key[^\n]*\n\s*Index Cond: \(\(stream = 's'::text\) AND \(version >= 0\)\)/,
      );
    } finally {
      await client.end();
    }
  });

  it('given a schema name that is not a plain lower-case identifier, when opening, then it is refused with a ValidationError', async () => {
    await expect(openStore({ schema: 'Robert"; DROP TABLE students' })).rejects.toBeInstanceOf(ValidationError);
  });
});

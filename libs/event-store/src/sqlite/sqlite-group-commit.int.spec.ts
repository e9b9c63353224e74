import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExpectedVersionConflict } from '../errors';
import { anEvent, uniqueStreamName } from '../testing';
import { SqliteEventStore } from './sqlite-event-store';
import { SqliteGroupCommit } from './sqlite-group-commit';

describe('SqliteGroupCommit', () => {
  let path: string;
  let db: Database.Database;
  let observer: Database.Database;

  beforeEach(() => {
    path = join(tmpdir(), `stockade-group-commit-${randomUUID()}.db`);
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
    observer = new Database(path, { readonly: true });
  });

  afterEach(() => {
    db.close();
    observer.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  });

  const insert = (name: string) => () => db.prepare('INSERT INTO items (name) VALUES (?)').run(name);
  const committedNames = () =>
    (observer.prepare('SELECT name FROM items ORDER BY name').pluck().all() as string[]).join(',');

  it('given many writes submitted in one turn, when they complete, then they were stored by a single commit', async () => {
    const commits = new SqliteGroupCommit(db);
    const versionBefore = observer.pragma('data_version', { simple: true }) as number;

    await Promise.all(['a', 'b', 'c', 'd'].map((name) => commits.submit(insert(name))));

    expect(committedNames()).toBe('a,b,c,d');
    // data_version moves once per commit made by another connection.
    expect(observer.pragma('data_version', { simple: true })).toBe(versionBefore + 1);
  });

  it('given a write that fails after inserting, when it shares a turn with others, then only its rows are rolled back and only it is rejected', async () => {
    const commits = new SqliteGroupCommit(db);
    const submitted = [
      commits.submit(insert('a')),
      commits.submit(() => {
        insert('half-done')();
        insert('a')(); // the first write's key: a constraint error
      }),
      commits.submit(insert('z')),
    ];

    const results = await Promise.allSettled(submitted);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedNames()).toBe('a,z');
  });

  it('given a turn in which every write succeeds, when committed, then each write ran exactly once', async () => {
    const commits = new SqliteGroupCommit(db);
    const runs = new Map<string, number>();
    const counted = (name: string) => () => {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      insert(name)();
    };

    await Promise.all(['a', 'b', 'c'].map((name) => commits.submit(counted(name))));

    expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 1, c: 1 });
    expect(committedNames()).toBe('a,b,c');
  });

  it('given a write that fails, when the turn is run again with a savepoint each, then the other writes are stored once with their results', async () => {
    const commits = new SqliteGroupCommit(db);
    let firstRuns = 0;
    const submitted = [
      commits.submit(() => {
        firstRuns++;
        return insert('first')().changes;
      }),
      commits.submit(insert('first')), // a constraint error, after the first write's rows
      commits.submit(() => insert('last')().changes),
    ];

    const results = await Promise.allSettled(submitted);

    // The first write ran in the rolled-back fast path and again in the savepoint pass.
    expect(firstRuns).toBe(2);
    expect(results).toMatchObject([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected' },
      { status: 'fulfilled', value: 1 },
    ]);
    expect(committedNames()).toBe('first,last');
  });

  it('when a write resolves, then its rows are already visible to another connection', async () => {
    const commits = new SqliteGroupCommit(db);

    const seenOnResolve = await commits.submit(insert('durable')).then(() => committedNames());

    expect(seenOnResolve).toBe('durable');
  });

  it('given a queued write, when flushed explicitly (on close), then it is committed and resolves', async () => {
    const commits = new SqliteGroupCommit(db);
    const pending = commits.submit(insert('before-close'));

    commits.flush();

    await expect(pending).resolves.toBeDefined();
    expect(committedNames()).toBe('before-close');
  });
});

describe('SqliteEventStore group commit', () => {
  it('given two appends to a new stream in one turn, when both expect no stream, then the first is stored and the second gets ExpectedVersionConflict', async () => {
    const store = SqliteEventStore.open(':memory:');
    const stream = uniqueStreamName();

    const [first, second] = await Promise.allSettled([
      store.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' }),
      store.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' }),
    ]);

    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(ExpectedVersionConflict) });
    expect(await store.streamVersion(stream)).toBe(0);
    await store.close();
  });

  it('given appends still queued, when the store is closed, then they are committed rather than lost', async () => {
    const path = join(tmpdir(), `stockade-group-commit-${randomUUID()}.db`);
    const store = SqliteEventStore.open(path);
    const stream = uniqueStreamName();
    const appended = store.appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });

    await store.close();
    await appended;
    const reopened = SqliteEventStore.open(path);

    expect(await reopened.streamVersion(stream)).toBe(0);
    await reopened.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  });
});

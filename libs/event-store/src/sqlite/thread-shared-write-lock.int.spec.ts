import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ts from 'typescript';
import { SqliteGroupCommit } from './sqlite-group-commit';
import { ThreadSharedWriteLock } from './thread-shared-write-lock';

/** The lock's own source, compiled for the other thread (a Worker cannot load TypeScript). */
const LOCK_MODULE_JS = ts.transpileModule(readFileSync(join(__dirname, 'thread-shared-write-lock.ts'), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
}).outputText;

/** Runs `body` on another thread with `ThreadSharedWriteLock`, `Database` and `data` in scope; resolves with what it posts. */
function onAnotherThread<T>(body: string, data: unknown): Promise<T> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const module = { exports: {} };
    new Function('module', 'exports', workerData.lockModule)(module, module.exports);
    const { ThreadSharedWriteLock } = module.exports;
    const data = workerData.data;
    Promise.resolve().then(async () => { ${body} }).then((result) => parentPort.postMessage(result));
  `;
  const worker = new Worker(source, { eval: true, workerData: { lockModule: LOCK_MODULE_JS, data } });
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (result: T) => void worker.terminate().then(() => resolve(result)));
    worker.once('error', reject);
  });
}

describe('ThreadSharedWriteLock', () => {
  it('given another thread holds the lock, when this thread acquires it, then it gets it only after the other released', async () => {
    const lockMemory = ThreadSharedWriteLock.createBuffer();
    const progress = new Int32Array(new SharedArrayBuffer(8)); // [0]: the other thread holds it, [1]: it finished its work
    const other = onAnotherThread<string>(
      `const lock = new ThreadSharedWriteLock(data.lockMemory);
       const progress = new Int32Array(data.progress);
       lock.acquire();
       Atomics.store(progress, 0, 1);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); // work while holding it
       Atomics.store(progress, 1, 1);
       lock.release();
       return 'released';`,
      { lockMemory, progress: progress.buffer },
    );
    while (Atomics.load(progress, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 1));

    const lock = new ThreadSharedWriteLock(lockMemory);
    lock.acquire();
    const otherHadFinished = Atomics.load(progress, 1);
    lock.release();

    expect(otherHadFinished).toBe(1);
    expect(await other).toBe('released');
  });

  it("given the holder never releases, when another waits longer than its limit, then it goes on without the lock and leaves the holder's lock alone", () => {
    const lockMemory = ThreadSharedWriteLock.createBuffer();
    const holder = new ThreadSharedWriteLock(lockMemory);
    holder.acquire();

    const impatient = new ThreadSharedWriteLock(lockMemory, 20);
    impatient.acquire();
    impatient.release();

    expect(Atomics.load(new Int32Array(lockMemory), 0)).toBe(1); // still the holder's
    holder.release();
    expect(Atomics.load(new Int32Array(lockMemory), 0)).toBe(0);
  });

  describe('two threads group-committing to one SQLite file', () => {
    let path: string;

    beforeEach(() => {
      path = join(tmpdir(), `stockade-shared-lock-${randomUUID()}.db`);
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.exec(
        'CREATE TABLE items (thread TEXT NOT NULL, n INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (thread, n, row))',
      );
      db.close();
    });

    afterEach(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    });

    // busy_timeout = 0: a write that found the file locked would fail at once (SQLITE_BUSY) instead
    // of sleeping, so every write succeeding shows the threads took turns on the lock, not on SQLite.
    it('given both share the lock and SQLite may not wait at all, when both write at once, then every write commits', async () => {
      const lockMemory = ThreadSharedWriteLock.createBuffer();
      const turns = 300;
      const rowsPerWrite = 50; // long enough transactions that the threads would collide without the lock
      const other = onAnotherThread<{ failed: number }>(
        `const db = new Database(data.path);
         db.pragma('busy_timeout = 0');
         const lock = new ThreadSharedWriteLock(data.lockMemory);
         const insert = db.prepare('INSERT INTO items (thread, n, row) VALUES (?, ?, ?)');
         const write = db.transaction((n) => { for (let row = 0; row < data.rowsPerWrite; row++) insert.run('other', n, row); });
         let failed = 0;
         for (let n = 0; n < data.turns; n++) {
           lock.acquire();
           try { write.immediate(n); } catch { failed++; } finally { lock.release(); }
           await new Promise((resolve) => setImmediate(resolve));
         }
         db.close();
         return { failed };`,
        { path, lockMemory, turns, rowsPerWrite },
      );
      const db = new Database(path);
      db.pragma('busy_timeout = 0');
      const commits = new SqliteGroupCommit(db, new ThreadSharedWriteLock(lockMemory));
      const insert = db.prepare('INSERT INTO items (thread, n, row) VALUES (?, ?, ?)');
      const mine: Promise<unknown>[] = [];
      for (let n = 0; n < turns; n++) {
        mine.push(commits.submit(() => Array.from({ length: rowsPerWrite }, (_, row) => insert.run('main', n, row))));
        await new Promise((resolve) => setImmediate(resolve)); // one transaction per turn
      }

      const results = await Promise.allSettled(mine);
      const { failed } = await other;

      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(failed).toBe(0);
      expect(db.prepare('SELECT thread, COUNT(*) AS rows FROM items GROUP BY thread ORDER BY thread').all()).toEqual([
        { thread: 'main', rows: turns * rowsPerWrite },
        { thread: 'other', rows: turns * rowsPerWrite },
      ]);
      db.close();
    });
  });
});

import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundWalCheckpointer } from './background-wal-checkpointer';

describe('BackgroundWalCheckpointer', () => {
  let path: string;
  let writer: Database.Database;
  let checkpointer: BackgroundWalCheckpointer | undefined;

  beforeEach(() => {
    path = join(tmpdir(), `stockade-checkpointer-${randomUUID()}.db`);
    writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    // The writer never checkpoints by itself: whatever keeps its WAL short is the checkpointer.
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE items (n INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  afterEach(async () => {
    await checkpointer?.close();
    checkpointer = undefined;
    writer.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  });

  let next = 0;
  const commitOneHundred = () => {
    const insert = writer.prepare('INSERT INTO items (n, body) VALUES (?, ?)');
    for (let i = 0; i < 100; i++) insert.run(next++, 'x'.repeat(200));
  };
  const walBytes = () => statSync(`${path}-wal`).size;
  // Two new results: the second checkpoint started after the writes before this call had committed.
  const checkpointedEverything = async () => {
    let seen = checkpointer?.lastResult(path);
    let fresh = 0;
    for (let tries = 0; tries < 200; tries++) {
      const last = checkpointer?.lastResult(path);
      if (last !== seen) {
        seen = last;
        fresh++;
      }
      if (fresh >= 2 && last && last.checkpointedFrames === last.walFrames) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the checkpointer did not catch up');
  };

  it('given a writer that never checkpoints, when the checkpointer runs between its writes, then the WAL is reused from the start instead of growing', async () => {
    checkpointer = await BackgroundWalCheckpointer.start([path], { intervalMs: 20 });
    commitOneHundred();
    const afterFirstRound = walBytes();
    await checkpointedEverything();

    commitOneHundred();
    await checkpointedEverything();
    commitOneHundred();

    expect(walBytes()).toBe(afterFirstRound);
  });

  it('given no checkpointer, when the same writes are made, then the WAL grows with every round (what the first case prevents)', async () => {
    commitOneHundred();
    const afterFirstRound = walBytes();

    commitOneHundred();
    commitOneHundred();

    expect(walBytes()).toBeGreaterThan(2 * afterFirstRound);
  });

  it('given a file that does not exist, when the checkpointer starts, then it fails instead of creating one', async () => {
    await expect(BackgroundWalCheckpointer.start([join(tmpdir(), `missing-${randomUUID()}.db`)])).rejects.toThrow(
      /cannot open .*missing-.* to checkpoint it/,
    );
  });
});

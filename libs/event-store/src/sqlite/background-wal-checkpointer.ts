import { Worker } from 'node:worker_threads';

export interface BackgroundWalCheckpointerOptions {
  /** How often each file's write-ahead log is copied back into it (default 250 ms). */
  readonly intervalMs?: number;
  /** A checkpoint that failed (the next one tries again). */
  readonly onError?: (path: string, message: string) => void;
}

/** What the last checkpoint of a file did, in WAL frames (PRAGMA wal_checkpoint's answer). */
export interface CheckpointResult {
  readonly path: string;
  readonly walFrames: number;
  readonly checkpointedFrames: number;
}

type FromCheckpointer =
  | { readonly kind: 'ready' }
  | { readonly kind: 'cannot-open'; readonly path: string; readonly message: string }
  | { readonly kind: 'checkpointed'; readonly result: CheckpointResult }
  | { readonly kind: 'failed'; readonly path: string; readonly message: string }
  | { readonly kind: 'closed' };

// Plain JavaScript on purpose: a Worker cannot load TypeScript, and this must run from the
// sources (tests) as from dist. PASSIVE never takes the write lock: writers keep committing to
// the WAL while their earlier frames are copied into the file and synced.
const CHECKPOINTER_SOURCE = `
(function checkpointer() {
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const connections = [];
for (const path of workerData.paths) {
  try {
    const db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    connections.push({ path, db });
  } catch (error) {
    connections.forEach(({ db }) => db.close());
    parentPort.postMessage({ kind: 'cannot-open', path, message: String(error && error.message || error) });
    return;
  }
}
const checkpointAll = () => {
  for (const { path, db } of connections) {
    try {
      const [row] = db.pragma('wal_checkpoint(PASSIVE)');
      parentPort.postMessage({ kind: 'checkpointed', result: { path, walFrames: row.log, checkpointedFrames: row.checkpointed } });
    } catch (error) {
      parentPort.postMessage({ kind: 'failed', path, message: String(error && error.message || error) });
    }
  }
};
const timer = setInterval(checkpointAll, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.kind !== 'close') return;
  clearInterval(timer);
  connections.forEach(({ db }) => db.close());
  parentPort.postMessage({ kind: 'closed' });
});
parentPort.postMessage({ kind: 'ready' });
})();
`;

/**
 * Checkpoints SQLite write-ahead logs on a thread of its own, so the threads that commit never do.
 *
 * Why: SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL past its limit,
 * on the committing thread, and syncs the database file: measured in the embedded runner at 100
 * checkouts/s, one such commit blocked its thread for about 50 ms every 7 s (the WAL grows by
 * whole pages per commit, so 20,000 pages come quickly at low rates), and those stalls were the
 * p99 of accept → terminal. Checkpointing here, often and without the write lock, keeps the WAL
 * short so the automatic checkpoint (still configured, see WAL_AUTOCHECKPOINT_PAGES) never has to
 * run: it stays as the safety net should this thread fall behind or stop.
 */
export class BackgroundWalCheckpointer {
  private readonly lastResults = new Map<string, CheckpointResult>();
  private closing: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {}

  /** Opens its own connection to each file (they must exist, in WAL mode) and starts checkpointing them. */
  static async start(
    paths: readonly string[],
    options: BackgroundWalCheckpointerOptions = {},
  ): Promise<BackgroundWalCheckpointer> {
    const worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: {
        paths: [...paths],
        intervalMs: options.intervalMs ?? 250,
        driver: require.resolve('better-sqlite3'),
      },
    });
    const checkpointer = new BackgroundWalCheckpointer(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FromCheckpointer) => {
        if (message.kind === 'ready') {
          worker.off('error', reject);
          resolve();
        } else if (message.kind === 'cannot-open') {
          void worker.terminate();
          reject(new Error(`cannot open ${message.path} to checkpoint it: ${message.message}`));
        } else if (message.kind === 'checkpointed') checkpointer.lastResults.set(message.result.path, message.result);
        else if (message.kind === 'failed') options.onError?.(message.path, message.message);
      });
    });
    // Idle checkpointing must not keep a process alive that has nothing else to do.
    worker.unref();
    return checkpointer;
  }

  /** The last checkpoint of `path`, if one ran yet. */
  lastResult(path: string): CheckpointResult | undefined {
    return this.lastResults.get(path);
  }

  /** Stops checkpointing and closes its connections (the last connection to close checkpoints what is left). */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.worker.on('message', (message: FromCheckpointer) => {
        if (message.kind === 'closed') void this.worker.terminate().then(() => resolve());
      });
      this.worker.once('error', () => resolve());
      this.worker.postMessage({ kind: 'close' });
    });
    return this.closing;
  }
}

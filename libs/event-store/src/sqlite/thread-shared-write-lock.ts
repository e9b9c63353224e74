/** Taken around a connection's write transaction; see {@link ThreadSharedWriteLock}. */
export interface WriteLock {
  acquire(): void;
  release(): void;
}

const UNLOCKED = 0;
const LOCKED = 1;

/**
 * A write lock the threads of one process share through a SharedArrayBuffer, taken by each
 * thread's connection to the same SQLite file around its write transaction.
 *
 * Why: SQLite lets one connection write at a time and makes the others wait in its busy handler,
 * which polls by sleeping 1, 2, 5, 10, 15, 20… ms. With the embedded inventory on a thread of its
 * own, both threads commit to the message log every millisecond or so; measured at 100
 * checkouts/s, the threads slept about 270 times in 10 s, and the longest waits (about 50 ms,
 * the sleeps adding up after the lock was long free) were the whole p99 of accept → terminal.
 * Waiting here instead blocks on Atomics.wait and wakes the moment the other thread releases.
 *
 * The lock only orders the threads' attempts: SQLite's own locking still guarantees that writes
 * do not interleave (and guards against other processes, which this lock cannot see). So a thread
 * that waited `maxWaitMs` (the other thread died holding it, say) goes on without it and lets
 * SQLite decide, rather than hang.
 */
export class ThreadSharedWriteLock implements WriteLock {
  private readonly state: Int32Array;
  private held = false;

  /** A new, unlocked lock's memory: give the same buffer to every thread (workerData shares it). */
  static createBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  }

  constructor(
    buffer: SharedArrayBuffer,
    private readonly maxWaitMs = 5_000,
  ) {
    this.state = new Int32Array(buffer, 0, 1);
  }

  acquire(): void {
    if (this.held) throw new Error('ThreadSharedWriteLock is not reentrant');
    const deadline = Date.now() + this.maxWaitMs;
    while (Atomics.compareExchange(this.state, 0, UNLOCKED, LOCKED) !== UNLOCKED) {
      const left = deadline - Date.now();
      if (left <= 0) return; // not held: release() will leave the other thread's lock alone
      Atomics.wait(this.state, 0, LOCKED, left);
    }
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    Atomics.store(this.state, 0, UNLOCKED);
    Atomics.notify(this.state, 0, 1);
  }
}

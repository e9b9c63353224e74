import type {
  AppendOptions,
  AppendRequest,
  AppendResult,
  EventStore,
  Fence,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
} from '../event-store';
import { rejectStreamsNamedTwice } from '../errors';
import type { SnapshotStore } from '../snapshot-store';

interface PendingAppend {
  readonly requests: readonly AppendRequest[];
  readonly fences: readonly Fence[];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for any EventStore: appends that arrive while one is being written are merged
 * into ONE atomic `appendToStreams` call, so a store whose cost is per transaction (PostgreSQL's
 * commit flush and ordering lock, a KurrentDB round trip) pays it once for many writers.
 *
 * Semantics are those of separate appends: appends naming the same stream never share a batch
 * (the later waits for the next one), and when a merged write fails (a version conflict, a
 * duplicate id), every member is retried on its own, so each caller gets exactly the result or
 * error it would have got alone.
 */
export class GroupCommitEventStore implements EventStore {
  private queue: PendingAppend[] = [];
  private flushing = false;

  /** Absent when the inner store has no fences, as the port says. */
  readonly takeFence?: (name: string) => Promise<number>;

  constructor(
    private readonly inner: EventStore,
    private readonly maxEventsPerBatch = 2_000,
  ) {
    const takeFence = inner.takeFence?.bind(inner);
    if (takeFence) this.takeFence = takeFence;
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, expectedVersion: options.expectedVersion, events }]);
    return result as AppendResult;
  }

  appendToStreams(requests: readonly AppendRequest[], options: AppendOptions = {}): Promise<AppendResult[]> {
    try {
      rejectStreamsNamedTwice(requests);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ requests, fences: options.fences ?? [], resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await (batch.length === 1 ? this.writeAlone(batch[0] as PendingAppend) : this.writeTogether(batch));
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The longest prefix-compatible selection: no stream twice, no fence at two epochs, bounded size; the rest waits. */
  private takeBatch(): PendingAppend[] {
    const streams = new Set<string>();
    const fences = new Map<string, number>();
    const batch: PendingAppend[] = [];
    const later: PendingAppend[] = [];
    let events = 0;
    for (const pending of this.queue) {
      const clashes =
        pending.requests.some((request) => streams.has(request.stream)) ||
        pending.fences.some((fence) => fences.has(fence.name) && fences.get(fence.name) !== fence.epoch);
      const size = pending.requests.reduce((sum, request) => sum + request.events.length, 0);
      if (clashes || (batch.length > 0 && events + size > this.maxEventsPerBatch)) {
        later.push(pending);
        continue;
      }
      pending.requests.forEach((request) => streams.add(request.stream));
      pending.fences.forEach((fence) => fences.set(fence.name, fence.epoch));
      events += size;
      batch.push(pending);
    }
    this.queue = later;
    return batch;
  }

  private async writeTogether(batch: readonly PendingAppend[]): Promise<void> {
    let results: AppendResult[];
    try {
      const fences = new Map(batch.flatMap((pending) => pending.fences.map((fence) => [fence.name, fence] as const)));
      results = await this.inner.appendToStreams(
        batch.flatMap((pending) => pending.requests),
        { fences: [...fences.values()] },
      );
    } catch {
      // One member's conflict must not fail the others: each tries again on its own.
      await Promise.all(batch.map((pending) => this.writeAlone(pending)));
      return;
    }
    let offset = 0;
    for (const pending of batch) {
      pending.resolve(results.slice(offset, offset + pending.requests.length));
      offset += pending.requests.length;
    }
  }

  private async writeAlone(pending: PendingAppend): Promise<void> {
    try {
      pending.resolve(await this.inner.appendToStreams(pending.requests, { fences: pending.fences }));
    } catch (error) {
      pending.reject(error);
    }
  }

  readStream(stream: string, options?: { fromVersion?: number }): Promise<RecordedEvent[]> {
    return this.inner.readStream(stream, options);
  }

  streamVersion(stream: string): Promise<number> {
    return this.inner.streamVersion(stream);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  onAppended(listener: () => void): () => void {
    return this.inner.onAppended(listener);
  }

  readCheckpoint(name: string): Promise<number | undefined> {
    return this.inner.readCheckpoint(name);
  }

  saveCheckpoint(name: string, position: number): Promise<void> {
    return this.inner.saveCheckpoint(name, position);
  }

  /** Snapshots are saved off the hot path and coalesced by their writer, so they go straight through. */
  snapshotStore(): SnapshotStore {
    return this.inner.snapshotStore();
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.inner.close();
  }
}

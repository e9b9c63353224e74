import { AppendListeners } from '../append-listeners';
import {
  DuplicateEventId,
  ExpectedVersionConflict,
  lostFence,
  rejectStreamsNamedTwice,
  satisfiesExpectedVersion,
} from '../errors';
import type {
  AppendOptions,
  AppendRequest,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
} from '../event-store';
import type { SnapshotStore } from '../snapshot-store';
import { InMemorySnapshotStore } from './in-memory-snapshot-store';

/**
 * The event store in a process's memory: for unit tests and as the reference behaviour of
 * the contract suite. Appends are synchronous under the hood, so they are trivially atomic.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly eventIds = new Set<string>();
  private readonly checkpoints = new Map<string, number>();
  private readonly fences = new Map<string, number>();
  private readonly listeners = new AppendListeners();
  private readonly snapshots = new InMemorySnapshotStore();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, expectedVersion: options.expectedVersion, events }]);
    return result as AppendResult;
  }

  async takeFence(name: string): Promise<number> {
    const epoch = (this.fences.get(name) ?? 0) + 1;
    this.fences.set(name, epoch);
    return epoch;
  }

  async appendToStreams(requests: readonly AppendRequest[], options: AppendOptions = {}): Promise<AppendResult[]> {
    const lost = lostFence(options.fences ?? [], (name) => this.fences.get(name) ?? 0);
    if (lost) throw lost;
    this.checkAll(requests);
    const recordedAt = this.now().toISOString();
    const results = requests.map((request) => {
      const existing = this.streams.get(request.stream) ?? [];
      for (const event of request.events) {
        const recorded: RecordedEvent = {
          ...event,
          stream: request.stream,
          version: existing.length,
          position: this.log.length + 1,
          recordedAt,
        };
        existing.push(recorded);
        this.log.push(recorded);
        this.eventIds.add(event.id);
      }
      if (existing.length > 0) this.streams.set(request.stream, existing);
      return {
        stream: request.stream,
        nextExpectedVersion: existing.length - 1,
        lastPosition: request.events.length > 0 ? this.log.length : 0,
      };
    });
    if (requests.some((r) => r.events.length > 0)) this.listeners.wake();
    return results;
  }

  async readStream(stream: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    return (this.streams.get(stream) ?? []).slice(options.fromVersion ?? 0);
  }

  async streamVersion(stream: string): Promise<number> {
    return (this.streams.get(stream)?.length ?? 0) - 1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after = 0, limit = 1000, streamPrefixes } = options;
    const page: RecordedEvent[] = [];
    for (let index = after; index < this.log.length && page.length < limit; index++) {
      const event = this.log[index] as RecordedEvent;
      if (!streamPrefixes || streamPrefixes.some((prefix) => event.stream.startsWith(prefix))) page.push(event);
    }
    return page;
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  onAppended(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  async readCheckpoint(name: string): Promise<number | undefined> {
    return this.checkpoints.get(name);
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    this.checkpoints.set(name, position);
  }

  snapshotStore(): SnapshotStore {
    return this.snapshots;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** Validates the whole batch before writing anything, so a failed append leaves no trace. */
  private checkAll(requests: readonly AppendRequest[]): void {
    rejectStreamsNamedTwice(requests);
    const seenIds = new Set<string>();
    for (const request of requests) {
      const actual = (this.streams.get(request.stream)?.length ?? 0) - 1;
      if (!satisfiesExpectedVersion(request.expectedVersion, actual)) {
        throw new ExpectedVersionConflict(request.stream, request.expectedVersion, actual);
      }
      for (const event of request.events) {
        if (this.eventIds.has(event.id) || seenIds.has(event.id)) throw new DuplicateEventId(event.id);
        seenIds.add(event.id);
      }
    }
  }
}

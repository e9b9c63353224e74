import type { EventStore, RecordedEvent } from '@stockade/event-store';

export interface CachedStream<State> {
  readonly state: State;
  /** Version of the last event folded into `state` (-1: the stream does not exist). */
  readonly version: number;
}

export interface StreamFold<Event extends { readonly type: string }, State> {
  readonly isEvent: (event: { readonly type: string }) => event is Event;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/**
 * Aggregate states kept in memory with their stream versions, so a hot SKU is not re-read
 * for every command. `fresh` asks the store for the stream's version (one cheap call) and
 * folds only the events another process appended since; in a single-owner deployment that
 * is a no-op, with several writers it keeps refusals from being decided on stale stock.
 * Least recently used streams are dropped beyond `maxEntries`.
 */
export class StreamCache<Event extends { readonly type: string }, State> {
  private readonly entries = new Map<string, CachedStream<State>>();

  constructor(
    private readonly store: EventStore,
    private readonly fold: StreamFold<Event, State>,
    private readonly maxEntries: number,
  ) {}

  async fresh(stream: string): Promise<CachedStream<State>> {
    let cached = this.entries.get(stream);
    if (cached) {
      const version = await this.store.streamVersion(stream);
      if (version === cached.version) return this.remember(stream, cached);
      if (version < cached.version) cached = undefined; // the store was reset under us: start over
    }
    const base = cached ?? { state: this.fold.initialState(), version: -1 };
    const newer = await this.store.readStream(stream, { fromVersion: base.version + 1 });
    return this.remember(stream, newer.reduce((entry, event) => this.apply(entry, event), base));
  }

  set(stream: string, entry: CachedStream<State>): void {
    this.remember(stream, entry);
  }

  evict(stream: string): void {
    this.entries.delete(stream);
  }

  get size(): number {
    return this.entries.size;
  }

  private apply(entry: CachedStream<State>, event: RecordedEvent): CachedStream<State> {
    // Types this version does not know are skipped, so an older process can still read the stream.
    const state = this.fold.isEvent(event) ? this.fold.evolve(entry.state, event) : entry.state;
    return { state, version: event.version };
  }

  private remember(stream: string, entry: CachedStream<State>): CachedStream<State> {
    this.entries.delete(stream); // re-insert: Map order is the recency order
    this.entries.set(stream, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }
}

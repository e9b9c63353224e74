import type { EventStore, RecordedEvent } from '@stockade/event-store';

export interface CachedStream<State> {
  readonly state: State;
  /** Version of the last event folded into `state` (-1: the stream does not exist). */
  readonly version: number;
}

interface CacheEntry<State> extends CachedStream<State> {
  /** The store's external write marker when this entry was known to be current (see EventStore.externalWriteMarker). */
  readonly marker: number | undefined;
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
 * A store that can tell whether anyone else has written (SQLite's data_version) spares even
 * that call: while its marker has not moved since an entry was known current, nobody else can
 * have appended to the stream. Least recently used streams are dropped beyond `maxEntries`.
 */
export class StreamCache<Event extends { readonly type: string }, State> {
  private readonly entries = new Map<string, CacheEntry<State>>();

  constructor(
    private readonly store: EventStore,
    private readonly fold: StreamFold<Event, State>,
    private readonly maxEntries: number,
  ) {}

  /** The store's external write marker now; hand it to `set` for states decided from here on. */
  marker(): number | undefined {
    return this.store.externalWriteMarker?.();
  }

  async fresh(stream: string): Promise<CachedStream<State>> {
    const marker = this.marker();
    const entry = this.entries.get(stream);
    if (entry && marker !== undefined && entry.marker === marker) return this.remember(stream, entry, marker);
    let cached: CachedStream<State> | undefined = entry;
    if (cached) {
      const version = await this.store.streamVersion(stream);
      if (version === cached.version) return this.remember(stream, cached, marker);
      if (version < cached.version) cached = undefined; // the store was reset under us: start over
    }
    const base = cached ?? { state: this.fold.initialState(), version: -1 };
    const newer = await this.store.readStream(stream, { fromVersion: base.version + 1 });
    return this.remember(stream, newer.reduce((entry, event) => this.apply(entry, event), base), marker);
  }

  /**
   * After this process appended: the state at its new version. `marker` is the one read before
   * the states were loaded, so a write by someone else in between still forces a check.
   */
  set(stream: string, entry: CachedStream<State>, marker: number | undefined): void {
    this.remember(stream, entry, marker);
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

  private remember(stream: string, entry: CachedStream<State> | CacheEntry<State>, marker: number | undefined): CachedStream<State> {
    this.entries.delete(stream); // re-insert: Map order is the recency order
    // A hit on an entry already at this marker keeps it: no allocation on the hot path.
    this.entries.set(stream, 'marker' in entry && entry.marker === marker ? entry : { state: entry.state, version: entry.version, marker });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }
}

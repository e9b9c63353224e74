import type { EventStore, RecordedEvent } from '@stockade/event-store';
import type { StreamSnapshots } from './stream-snapshots';

export interface CachedStream<State> {
  readonly state: State;
  /** Version of the last event folded into `state` (-1: the stream does not exist). */
  readonly version: number;
}

interface CacheEntry<State> extends CachedStream<State> {
  /** The store's external write marker when this entry was known to be current (see EventStore.externalWriteMarker). */
  readonly marker: number | undefined;
  /** Version of the newest snapshot known to exist for the stream (-1: none). */
  readonly snapshotVersion: number;
}

export interface StreamFold<Event extends { readonly type: string }, State> {
  readonly isEvent: (event: { readonly type: string }) => event is Event;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** Streams snapshotted together on a stop: their event id reads go to a server store in parallel. */
const SNAPSHOTS_AT_ONCE = 64;

/**
 * Aggregate states kept in memory with their stream versions, so a hot SKU is not re-read
 * for every command. `fresh` asks the store for the stream's version (one cheap call) and
 * folds only the events another process appended since; in a single-owner deployment that
 * is a no-op, with several writers it keeps refusals from being decided on stale stock.
 * A store that can tell whether anyone else has written (SQLite's data_version) spares even
 * that call: while its marker has not moved since an entry was known current, nobody else can
 * have appended to the stream. Least recently used streams are dropped beyond `maxEntries`.
 *
 * With `snapshots`, a stream not in memory is loaded from its latest snapshot and the events
 * after it, and a stream that got `interval` events past its last snapshot gets a new one
 * (ADR 14). A snapshot is trusted only if the stream still holds, at the snapshot's version, the
 * event it was taken after; otherwise (a store reset, another history) the stream is folded from 0.
 */
export class StreamCache<Event extends { readonly type: string }, State> {
  private readonly entries = new Map<string, CacheEntry<State>>();

  constructor(
    private readonly store: EventStore,
    private readonly fold: StreamFold<Event, State>,
    private readonly maxEntries: number,
    private readonly snapshots?: StreamSnapshots<State>,
    /**
     * Which states are worth keeping in memory (default: all). A state it refuses is answered
     * and then forgotten: the next command for its stream reads the stream again, so a stream
     * that has ended (a terminal reservation) costs no memory until the LRU would evict it.
     */
    private readonly keeps: (state: State) => boolean = () => true,
  ) {}

  /** The store's external write marker now; hand it to `set` for states decided from here on. */
  marker(): number | undefined {
    return this.store.externalWriteMarker?.();
  }

  /**
   * `marker` defaults to the store's marker now; a batch passes the one it read at its start, so a
   * batch touching many streams asks the store once (a write after it is caught by the expected versions).
   */
  async fresh(stream: string, marker: number | undefined = this.marker()): Promise<CachedStream<State>> {
    const entry = this.entries.get(stream);
    if (entry && marker !== undefined && entry.marker === marker) return this.remember(stream, entry);
    if (!entry) return this.remember(stream, { ...(await this.loadCold(stream)), marker });
    const version = await this.store.streamVersion(stream);
    if (version === entry.version) return this.remember(stream, entry.marker === marker ? entry : { ...entry, marker });
    // Behind: someone else appended, fold what they wrote. Ahead: the store was reset under us, start over.
    const loaded =
      version > entry.version
        ? this.foldOnto(
            stream,
            entry,
            await this.store.readStream(stream, { fromVersion: entry.version + 1 }),
            entry.snapshotVersion,
          )
        : await this.loadCold(stream);
    return this.remember(stream, { ...loaded, marker });
  }

  /**
   * After this process appended: the state at its new version. `marker` is the one read before
   * the states were loaded, so a write by someone else in between still forces a check.
   * `lastEventId` (the id of the event at `entry.version`) lets a snapshot be taken when one is due.
   */
  set(stream: string, entry: CachedStream<State>, marker: number | undefined, lastEventId?: string): void {
    // Unknown when the stream was evicted during the batch: -1 at worst takes one snapshot early.
    let snapshotVersion = this.entries.get(stream)?.snapshotVersion ?? -1;
    if (lastEventId !== undefined && this.snapshots?.isDue(entry.version - snapshotVersion)) {
      this.snapshots.take(stream, entry.state, entry.version, lastEventId);
      snapshotVersion = entry.version;
    }
    this.remember(stream, { state: entry.state, version: entry.version, marker, snapshotVersion });
  }

  /**
   * On a graceful stop: snapshots the streams at least `minEvents` past their last one, longest
   * tails first, while `goOn` says so. It is asked before each group, whose states are encoded
   * before any await, so a writer answering "no" while it decides keeps half-decided states out.
   * Each snapshot needs the id of the event at the cached version: one indexed read per stream.
   */
  async snapshotStreamsBehind(minEvents: number, goOn: () => boolean): Promise<number> {
    const snapshots = this.snapshots;
    if (!snapshots) return 0;
    const tailOf = (entry: CacheEntry<State> | undefined) =>
      entry && entry.version >= 0 ? entry.version - entry.snapshotVersion : 0;
    const behind = [...this.entries]
      .filter(([, entry]) => tailOf(entry) >= minEvents)
      .sort(([, a], [, b]) => tailOf(b) - tailOf(a));
    let taken = 0;
    for (let start = 0; start < behind.length && goOn(); start += SNAPSHOTS_AT_ONCE) {
      const group = behind.slice(start, start + SNAPSHOTS_AT_ONCE).flatMap(([stream]) => {
        const entry = this.entries.get(stream);
        return entry && tailOf(entry) >= minEvents
          ? [{ stream, version: entry.version, captured: snapshots.capture(entry.state) }]
          : [];
      });
      await Promise.all(
        group.map(async ({ stream, version, captured }) => {
          const [event] = await this.store.readStream(stream, { fromVersion: version });
          if (event?.version !== version) return; // someone else appended meanwhile: their snapshot to take
          snapshots.save(stream, captured, version, event.id);
          taken += 1;
          const entry = this.entries.get(stream);
          if (entry?.version === version) this.entries.set(stream, { ...entry, snapshotVersion: version });
        }),
      );
    }
    return taken;
  }

  evict(stream: string): void {
    this.entries.delete(stream);
  }

  /** Drops every cached stream the predicate picks (a shard's SKUs after it moved to another instance). */
  evictWhere(picks: (stream: string) => boolean): void {
    for (const stream of [...this.entries.keys()]) if (picks(stream)) this.entries.delete(stream);
  }

  get size(): number {
    return this.entries.size;
  }

  /** From the latest usable snapshot and the events after it, else from the first event. */
  private async loadCold(stream: string): Promise<Omit<CacheEntry<State>, 'marker'>> {
    const snapshot = await this.snapshots?.latest(stream);
    if (snapshot) {
      const [atSnapshot, ...after] = await this.store.readStream(stream, { fromVersion: snapshot.version });
      if (atSnapshot?.version === snapshot.version && atSnapshot.id === snapshot.eventId) {
        return this.foldOnto(stream, { state: snapshot.state, version: snapshot.version }, after, snapshot.version);
      }
    }
    return this.foldOnto(
      stream,
      { state: this.fold.initialState(), version: -1 },
      await this.store.readStream(stream),
      -1,
    );
  }

  /** Folds `events` onto `base`; leaves a snapshot behind when that made the stream due for one. */
  private foldOnto(
    stream: string,
    base: CachedStream<State>,
    events: readonly RecordedEvent[],
    snapshotVersion: number,
  ): Omit<CacheEntry<State>, 'marker'> {
    const folded = events.reduce((entry, event) => this.apply(entry, event), base);
    const last = events[events.length - 1];
    if (last && this.snapshots?.isDue(folded.version - snapshotVersion)) {
      this.snapshots.take(stream, folded.state, folded.version, last.id);
      return { ...folded, snapshotVersion: folded.version };
    }
    return { ...folded, snapshotVersion };
  }

  private apply(entry: CachedStream<State>, event: RecordedEvent): CachedStream<State> {
    // Types this version does not know are skipped, so an older process can still read the stream.
    const state = this.fold.isEvent(event) ? this.fold.evolve(entry.state, event) : entry.state;
    return { state, version: event.version };
  }

  private remember(stream: string, entry: CacheEntry<State>): CacheEntry<State> {
    this.entries.delete(stream); // re-insert: Map order is the recency order
    if (!this.keeps(entry.state)) return entry;
    this.entries.set(stream, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }
}

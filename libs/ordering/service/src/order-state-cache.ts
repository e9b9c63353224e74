import type { EventStore } from '@stockade/event-store';
import { foldStoredOrderEvents, OrderState, orderDecider, orderStreamName } from '@stockade/ordering-domain';

export interface LoadedOrder {
  readonly state: OrderState;
  /** Version of the stream's last event, -1 when the order does not exist. */
  readonly version: number;
}

/**
 * Order states kept in memory with their stream versions. An order is written four or more
 * times in its life, and re-reading and re-parsing its whole stream for each write was a top
 * entry of the checkout profile.
 * - `fresh` (reads) asks the store for the stream's version (one indexed lookup, no JSON) and
 *   folds only events written since, so an answer never misses another process's write.
 * - `forWrite` trusts a cached entry without that lookup: the append's expected version is the
 *   cached version, so a state another process changed cannot be appended on; the conflict
 *   evicts the entry and the writer decides again on `fresh`.
 * Least recently used orders are dropped beyond `maxEntries`.
 */
export class OrderStateCache {
  private readonly entries = new Map<string, LoadedOrder>();

  constructor(
    private readonly store: EventStore,
    private readonly maxEntries = 10_000,
  ) {}

  async forWrite(orderId: string): Promise<LoadedOrder> {
    const cached = this.entries.get(orderId);
    return cached ? this.remember(orderId, cached) : this.fresh(orderId);
  }

  /** The cached entry, or "no order yet" without asking the store: only for an append that expects no stream. */
  cachedOrNew(orderId: string): LoadedOrder {
    const cached = this.entries.get(orderId);
    return cached ? this.remember(orderId, cached) : { state: orderDecider.initialState(), version: -1 };
  }

  async fresh(orderId: string): Promise<LoadedOrder> {
    const stream = orderStreamName(orderId);
    let cached = this.entries.get(orderId);
    if (cached) {
      const version = await this.store.streamVersion(stream);
      if (version === cached.version) return this.remember(orderId, cached);
      if (version < cached.version) cached = undefined; // the store was reset under us: start over
    }
    const base = cached ?? { state: orderDecider.initialState(), version: -1 };
    const newer = await this.store.readStream(stream, { fromVersion: base.version + 1 });
    // Any schema version the store holds is upcast on the way in.
    const state = foldStoredOrderEvents(base.state, newer);
    return this.remember(orderId, { state, version: newer.at(-1)?.version ?? base.version });
  }

  /** After a successful append: the decided events folded in, at the version the append reported. */
  remember(orderId: string, loaded: LoadedOrder): LoadedOrder {
    this.entries.delete(orderId); // re-insert: Map order is the recency order
    this.entries.set(orderId, loaded);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return loaded;
  }

  evict(orderId: string): void {
    this.entries.delete(orderId);
  }
}

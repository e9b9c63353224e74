import type { AppendRequest, AppendResult, EventMetadata, NewEvent } from '@stockade/event-store';
import {
  CheckoutEvent,
  isStockEvent,
  ReservationState,
  StockState,
  evolveReservation,
} from '@stockade/inventory-domain';
import { deterministicId } from '@stockade/kernel';
import { evolveOwnedStock } from './in-place-stock-fold';
import type { InventoryCaches } from './inventory-caches';
import type { StreamCache } from './stream-cache';
import { reservationStream, stockStream } from './streams';

/** Stored with every event; `commandId` lets an operator trace an event back to its command. */
export interface StoredCommandMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string;
  readonly traceparent?: string;
}

interface Touched<State> {
  state: State;
  readonly baseVersion: number;
  readonly events: NewEvent[];
}

/**
 * The working copy of one group commit: the states of the streams the batch touches, each
 * command's events folded in as soon as it is decided (so the next command sees them), and
 * the pending events merged per stream into one append request with its expected version.
 */
export class BatchWorkspace {
  private readonly stocks = new Map<string, Touched<StockState>>();
  private readonly reservations = new Map<string, Touched<ReservationState>>();
  private readonly eventOwners = new Map<string, string>();
  /** Read before any state is loaded: see StreamCache.set. */
  private readonly stockMarker: number | undefined;
  private readonly reservationMarker: number | undefined;

  constructor(private readonly caches: InventoryCaches) {
    this.stockMarker = caches.stock.marker();
    this.reservationMarker = caches.reservation.marker();
  }

  async stock(sku: string): Promise<StockState> {
    return (await this.touch(this.stocks, this.caches.stock, stockStream(sku), this.stockMarker)).state;
  }

  async reservation(checkoutId: string): Promise<ReservationState> {
    return (
      await this.touch(
        this.reservations,
        this.caches.reservation,
        reservationStream(checkoutId),
        this.reservationMarker,
      )
    ).state;
  }

  /** Folds one command's events into the working states; ids derive from the command id. */
  record(events: readonly CheckoutEvent[], command: StoredCommandMetadata): void {
    const metadata: EventMetadata = {
      correlationId: command.correlationId,
      causationId: command.causationId,
      occurredAt: command.occurredAt,
      commandId: command.commandId,
    };
    // Commands of many traces share one group commit: each event keeps its own command's trace.
    if (command.traceparent !== undefined) Object.assign(metadata, { traceparent: command.traceparent });
    const indexPerStream = new Map<string, number>();
    for (const event of events) {
      const stream = isStockEvent(event) ? stockStream(event.data.sku) : reservationStream(event.data.checkoutId);
      const index = indexPerStream.get(stream) ?? 0;
      indexPerStream.set(stream, index + 1);
      const id = deterministicId(command.commandId, stream, String(index));
      this.eventOwners.set(id, command.commandId);
      const stored: NewEvent = { id, type: event.type, data: event.data, metadata };
      if (isStockEvent(event)) this.advance(this.stocks, stream, stored, (state) => evolveOwnedStock(state, event));
      else this.advance(this.reservations, stream, stored, (state) => evolveReservation(state, event));
    }
  }

  appendRequests(): AppendRequest[] {
    return [...this.stocks, ...this.reservations].flatMap(([stream, touched]) =>
      touched.events.length === 0
        ? []
        : [
            {
              stream,
              expectedVersion: touched.baseVersion < 0 ? 'no_stream' : touched.baseVersion,
              events: touched.events,
            },
          ],
    );
  }

  /** After a successful append: the caches take the working states at their new versions. */
  commitTo(results: readonly AppendResult[]): void {
    const versions = new Map(results.map((result) => [result.stream, result.nextExpectedVersion]));
    const store = <Event extends { readonly type: string }, State>(
      touched: Map<string, Touched<State>>,
      cache: StreamCache<Event, State>,
      marker: number | undefined,
    ) =>
      touched.forEach((entry, stream) =>
        cache.set(
          stream,
          { state: entry.state, version: versions.get(stream) ?? entry.baseVersion },
          marker,
          entry.events.at(-1)?.id,
        ),
      );
    store(this.stocks, this.caches.stock, this.stockMarker);
    store(this.reservations, this.caches.reservation, this.reservationMarker);
  }

  /** After a failed append nothing about these streams can be trusted (stock holds were folded in place, see evolveOwnedStock). */
  evictFromCaches(): void {
    this.stocks.forEach((_entry, stream) => this.caches.stock.evict(stream));
    this.reservations.forEach((_entry, stream) => this.caches.reservation.evict(stream));
  }

  commandOwning(eventId: string): string | undefined {
    return this.eventOwners.get(eventId);
  }

  private async touch<Event extends { readonly type: string }, State>(
    touched: Map<string, Touched<State>>,
    cache: StreamCache<Event, State>,
    stream: string,
    batchMarker: number | undefined,
  ): Promise<Touched<State>> {
    const existing = touched.get(stream);
    if (existing) return existing;
    const { state, version } = await cache.fresh(stream, batchMarker);
    const entry: Touched<State> = { state, baseVersion: version, events: [] };
    touched.set(stream, entry);
    return entry;
  }

  private advance<State>(
    touched: Map<string, Touched<State>>,
    stream: string,
    event: NewEvent,
    evolve: (state: State) => State,
  ): void {
    const entry = touched.get(stream);
    // Deciders only emit events for streams they were given, so the entry is always there.
    if (!entry) throw new Error(`stream ${stream} was not loaded before deciding`);
    entry.state = evolve(entry.state);
    entry.events.push(event);
  }
}

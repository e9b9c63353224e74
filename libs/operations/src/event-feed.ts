import type { EventStore, RecordedEvent } from '@stockade/event-store';
import { describeEvent } from './describe-event';
import type { EventCursor, EventFilter, EventPage, EventSource, OperatorEvent } from './operations-contract';
import type { EventStart } from './operations-ports';

export interface FeedStores {
  readonly orders: EventStore;
  readonly inventory: EventStore;
}

/** Events read per store per step; a page with a narrow filter reads at most a few steps before answering. */
const STEP = 500;
const MAX_STEPS_PER_PAGE = 20;
/** How often a live feed looks for other processes' appends when no append of this process woke it. */
const POLL_MS = 250;

const SOURCES: readonly EventSource[] = ['orders', 'inventory'];

export function matches(event: OperatorEvent, filter: EventFilter): boolean {
  if (filter.stream !== undefined && event.stream !== filter.stream) return false;
  if (filter.sku !== undefined && !(event.skus ?? []).includes(filter.sku)) return false;
  if (filter.orderId !== undefined && event.orderId !== filter.orderId) return false;
  if (filter.correlationId !== undefined && event.correlationId !== filter.correlationId) return false;
  if (filter.types !== undefined && !filter.types.includes(event.type)) return false;
  return true;
}

/** The cursor a start means: the heads for `now`, the first event at or after a time, or the cursor itself. */
export async function resolveStart(stores: FeedStores, from: EventStart): Promise<EventCursor> {
  if (from === 'now')
    return { orders: await stores.orders.headPosition(), inventory: await stores.inventory.headPosition() };
  if ('time' in from)
    return {
      orders: await positionBefore(stores.orders, from.time),
      inventory: await positionBefore(stores.inventory, from.time),
    };
  return from;
}

/** The position after which the events recorded at or after `time` begin (a binary search over the log; positions may have gaps). */
async function positionBefore(store: EventStore, time: string): Promise<number> {
  let low = 0;
  let high = await store.headPosition();
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const [first] = await store.readAll({ after: middle, limit: 1 });
    if (!first || first.recordedAt >= time) high = middle;
    else low = first.position;
  }
  return low;
}

/**
 * A page of both logs merged by time. Only events up to the earlier of the two pages' last times
 * are taken, so an event of one store is never passed before an earlier one of the other.
 */
export async function readEventPage(
  stores: FeedStores,
  from: EventCursor,
  filter: EventFilter,
  limit: number,
): Promise<EventPage> {
  const { items, next } = await readFeed(stores, from, filter, limit);
  return { events: items.map((item) => item.event), next };
}

/** Each event with the cursor just after it (where a reader that got it resumes). */
async function readFeed(
  stores: FeedStores,
  from: EventCursor,
  filter: EventFilter,
  limit: number,
): Promise<{ items: { event: OperatorEvent; cursor: EventCursor }[]; next: EventCursor }> {
  const cursor = { ...from };
  const events: { event: OperatorEvent; cursor: EventCursor }[] = [];
  for (let step = 0; step < MAX_STEPS_PER_PAGE && events.length < limit; step++) {
    const pages = await Promise.all(
      SOURCES.map((source) => stores[source].readAll({ after: cursor[source], limit: STEP })),
    );
    const [orders, inventory] = pages as [RecordedEvent[], RecordedEvent[]];
    if (orders.length === 0 && inventory.length === 0) break;
    // A full page may have more after it: nothing later than its last event is safe to take yet.
    const horizon = [orders, inventory]
      .filter((page) => page.length === STEP)
      .map((page) => (page.at(-1) as RecordedEvent).recordedAt)
      .sort()[0];
    const merged = [
      ...orders.map((event) => ({ event, source: 'orders' as const })),
      ...inventory.map((event) => ({ event, source: 'inventory' as const })),
    ]
      .filter(({ event }) => horizon === undefined || event.recordedAt <= horizon)
      .sort(
        (a, b) =>
          a.event.recordedAt.localeCompare(b.event.recordedAt) ||
          (a.source === b.source ? a.event.position - b.event.position : a.source === 'orders' ? -1 : 1),
      );
    for (const { event, source } of merged) {
      cursor[source] = event.position;
      const described = describeEvent(event, source);
      if (matches(described, filter)) events.push({ event: described, cursor: { ...cursor } });
      if (events.length >= limit) break;
    }
  }
  return { items: events, next: cursor };
}

/** The live feed: pages as they come, waking on this process's appends and polling for others'. */
export async function* followEventFeed(
  stores: FeedStores,
  from: EventStart,
  filter: EventFilter,
  signal: AbortSignal,
): AsyncIterable<{ readonly event: OperatorEvent; readonly cursor: EventCursor }> {
  let cursor = await resolveStart(stores, from);
  while (!signal.aborted) {
    const page = await readFeed(stores, cursor, filter, STEP);
    for (const item of page.items) {
      if (signal.aborted) return;
      yield item;
    }
    const moved = page.next.orders !== cursor.orders || page.next.inventory !== cursor.inventory;
    cursor = page.next;
    if (!moved) await appendedOrPolled(stores, signal);
  }
}

function appendedOrPolled(stores: FeedStores, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stops: (() => void)[] = [];
    const done = () => {
      stops.forEach((stop) => stop());
      resolve();
    };
    stops.push(stores.orders.onAppended(done), stores.inventory.onAppended(done));
    const timer = setTimeout(done, POLL_MS);
    stops.push(() => clearTimeout(timer));
    signal.addEventListener('abort', done, { once: true });
    stops.push(() => signal.removeEventListener('abort', done));
  });
}

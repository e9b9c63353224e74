import { stockStatus } from '@stockade/contracts';
import type { EventStore, RecordedEvent } from '@stockade/event-store';
import { evolveStock, initialStockState, isStockEvent, StockEvent, StockState } from '@stockade/inventory-domain';
import { reservationStream, stockSnapshotCodec, stockStream } from '@stockade/inventory-service';
import { describeEvent } from './describe-event';
import type { LiveReservation, StockStory } from './operations-contract';

/** Live reservations listed with their expiry; a hot SKU may hold thousands, the rest are counted in `reserved`. */
const MAX_LISTED_RESERVATIONS = 200;

/**
 * A SKU now: its levels, its live reservations and its last movements. The state comes from the
 * stream's snapshot plus the events after it (a hot SKU may have a million events), the
 * movements from the stream's tail.
 */
export async function stockStory(
  inventory: EventStore,
  sku: string,
  options: { movements: number; limitedThreshold: number },
): Promise<StockStory | undefined> {
  const stream = stockStream(sku);
  const version = await inventory.streamVersion(stream);
  if (version < 0) return undefined;
  const state = await currentState(inventory, stream);
  const tail =
    options.movements > 0
      ? await inventory.readStream(stream, { fromVersion: Math.max(0, version - options.movements + 1) })
      : [];
  const available = state.onHand - state.reserved;
  return {
    sku,
    onHand: state.onHand,
    reserved: state.reserved,
    available,
    status: stockStatus(available, options.limitedThreshold),
    reservations: await liveReservations(inventory, state),
    movements: tail.map((event) => describeEvent(event, 'inventory')),
  };
}

export async function currentState(inventory: EventStore, stream: string): Promise<StockState> {
  const snapshot = await inventory.snapshotStore().load(stream);
  const decoded = snapshot ? stockSnapshotCodec.decode(snapshot.state, snapshot.schemaVersion) : undefined;
  if (decoded && snapshot) {
    const fromSnapshot = await inventory.readStream(stream, { fromVersion: snapshot.version });
    // A snapshot of another history (the store was reset) does not match the event at its version: fold from the start then.
    if (fromSnapshot[0]?.id === snapshot.eventId) return foldStock(decoded, fromSnapshot.slice(1));
  }
  return foldStock(initialStockState(), await inventory.readStream(stream));
}

export function foldStock(state: StockState, events: readonly RecordedEvent[]): StockState {
  return events.reduce(
    (current, event) => (isStockEvent(event) ? evolveStock(current, event as unknown as StockEvent) : current),
    state,
  );
}

async function liveReservations(inventory: EventStore, state: StockState): Promise<LiveReservation[]> {
  const held = Object.entries(state.reservations).slice(0, MAX_LISTED_RESERVATIONS);
  return Promise.all(
    held.map(async ([checkoutId, quantity]) => {
      const events = await inventory.readStream(reservationStream(checkoutId));
      const accepted = events.find((event) => event.type === 'ReservationAccepted')?.data as
        { expiresAt?: string } | undefined;
      return { checkoutId, quantity, expiresAt: accepted?.expiresAt ?? 'unknown' };
    }),
  );
}

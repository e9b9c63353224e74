import type { EventStore } from '@stockade/event-store';
import type { Clock } from '@stockade/kernel';
import { followEventFeed, readEventPage, resolveStart } from './event-feed';
import { checkInvariants } from './invariant-check';
import type { StoryOperations } from './operations-ports';
import type { ReleaseReservationRequest } from './reservation-release';
import { orderStory } from './order-story';
import { stockStory } from './stock-story';
import { stuckOrders } from './stuck-orders';

export interface StoryOperationsDependencies {
  readonly orders: EventStore;
  readonly inventory: EventStore;
  readonly clock: Clock;
  readonly settings: { readonly paymentTimeoutMs: number; readonly limitedThreshold: number };
  /** The repairs of `check --repair`, as commands to inventory (releaseThroughInventoryCommands); without it the check only reads. */
  readonly releaseReservation?: ReleaseReservationRequest;
}

/** The operator's questions about orders and stock, answered from the two event stores (either mode). */
export function createStoryOperations(deps: StoryOperationsDependencies): StoryOperations {
  const stores = { orders: deps.orders, inventory: deps.inventory };
  const { paymentTimeoutMs, limitedThreshold } = deps.settings;
  return {
    orderStory: (orderId) => orderStory(stores, orderId, paymentTimeoutMs),
    stockStory: (sku, { movements }) => stockStory(deps.inventory, sku, { movements, limitedThreshold }),
    stuckOrders: ({ olderThanMs }) =>
      stuckOrders(deps.orders, { olderThanMs, now: deps.clock.now(), paymentTimeoutMs }),
    check: (options) =>
      checkInvariants(
        {
          ...stores,
          now: () => deps.clock.now(),
          paymentTimeoutMs,
          ...(deps.releaseReservation ? { releaseReservation: deps.releaseReservation } : {}),
        },
        options,
      ),
    readEvents: async ({ from, filter, limit }) =>
      readEventPage(stores, await resolveStart(stores, from), filter, limit),
    followEvents: ({ from, filter, signal }) => followEventFeed(stores, from, filter, signal),
  };
}

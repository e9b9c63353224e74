import type { LiveStockLevels } from '@stockade/api';
import { InventoryView, StockLevelChangedV1, TOPICS } from '@stockade/contracts';
import type { MessageBus, Subscription } from '@stockade/messaging';
import type { Logger } from '@stockade/runtime';
import type { InventoryFacade } from './inventory.facade';

/**
 * The consumer group of this process's live stock feed. Every process serving streams must see
 * every level, so each has a group of its own; named by instance (STOCKADE_INSTANCE_ID, the host
 * by default; not by process id), so a restart rejoins the same group instead of leaving one behind.
 */
export const liveStockGroupId = (name: string, instanceId: string): string => `${name}-live-stock-${instanceId}`;

/**
 * Current levels for a new stream: the SKUs asked for, or every SKU a page at a time. A SKU asked
 * for that never received stock is sent as out of stock (0 available): that is what a shopper
 * can buy of it, and the page need not wait for a level that may never come.
 */
export function stockSnapshotFrom(inventory: Pick<InventoryFacade, 'getStock' | 'listStock'>) {
  return async (skus: readonly string[] | undefined): Promise<InventoryView[]> => {
    if (skus !== undefined) {
      return Promise.all(
        skus.map(
          async (sku) =>
            (await inventory.getStock(sku)) ?? {
              sku,
              onHand: 0,
              reserved: 0,
              available: 0,
              status: 'OUT_OF_STOCK' as const,
            },
        ),
      );
    }
    const all: InventoryView[] = [];
    for (let after: string | undefined; ;) {
      const page = await inventory.listStock({ limit: 1_000, ...(after === undefined ? {} : { after }) });
      all.push(...page.items);
      if (page.next === undefined) return all;
      after = page.next;
    }
  };
}

/**
 * Feeds `live` from inventory.stock-levels, starting at the newest message (a new stream gets the
 * current levels from its snapshot, not from history). A message this version cannot read is
 * skipped with a warning: the live view is a convenience, the cart service's consumer of the same
 * topic is the one that dead-letters.
 */
export async function feedLiveStock(
  bus: MessageBus,
  live: LiveStockLevels,
  options: { readonly groupId: string; readonly logger: Logger; readonly topic?: string },
): Promise<Subscription> {
  return bus.subscribe({
    groupId: options.groupId,
    // The broker's name for inventory.stock-levels where the bus does not rename topics itself (the gateway).
    topics: [options.topic ?? TOPICS.stockLevels],
    fromBeginning: false,
    concurrency: 1_000,
    handler: async (message) => {
      const parsed = StockLevelChangedV1.safeParse(safeJson(message.value));
      if (!parsed.success) {
        options.logger.warn(
          { topic: message.topic, partition: message.partition, offset: message.offset },
          'live stock feed skipped a message it cannot read',
        );
        return;
      }
      live.publish({ ...parsed.data.data, at: parsed.data.occurredAt });
    },
  });
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

import { join } from 'node:path';
import type { InventoryFacade } from '@stockade/api';
import type { StockAvailability } from '@stockade/cart-service';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { Clock } from '@stockade/kernel';
import type { LogBackedMessageBus } from '@stockade/messaging';
import type { StockadeConfig } from '../config';
import type { Logger } from '../logger';
import { startInventoryNode } from '../service-nodes';
import { inventoryWorkerAvailable, INVENTORY_WORKER_FILE, startInventoryThread } from './inventory-thread';

/**
 * How often each thread's message log connection looks for the other thread's commits when
 * inventory runs on its own thread. Each side tells the other what it appended (see
 * AppendedNews), so this poll is only the safety net. It used to be the mechanism, every 2 ms:
 * any commit on the other connection (offset commits included) then woke every consumer of
 * every partition, and those empty reads were the main thread's top cost on the uniform mix.
 */
export const CROSS_THREAD_POLL_INTERVAL_MS = 100;

/** What the rest of the embedded system needs from inventory, wherever it runs. */
export interface EmbeddedInventory {
  readonly threaded: boolean;
  readonly facade: InventoryFacade;
  readonly availability: StockAvailability;
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/**
 * STOCKADE_INVENTORY_THREAD unset means: on a thread when the compiled worker is there (running
 * from dist), in-thread otherwise (Jest runs the TypeScript sources). A test clock cannot cross
 * to another thread, so a clock override keeps inventory in-thread too.
 */
export function inventoryRunsOnItsOwnThread(config: StockadeConfig, clockOverridden: boolean): boolean {
  const wanted = config.STOCKADE_INVENTORY_THREAD ?? inventoryWorkerAvailable();
  if (!wanted || clockOverridden) return false;
  if (!inventoryWorkerAvailable()) {
    throw new Error(`STOCKADE_INVENTORY_THREAD=true needs the compiled worker ${INVENTORY_WORKER_FILE}: run from dist ("npm run build")`);
  }
  return true;
}

export async function startEmbeddedInventory(
  config: StockadeConfig,
  context: { readonly dataDir: string; readonly bus: LogBackedMessageBus; readonly clock: Clock; readonly logger: Logger; readonly threaded: boolean },
): Promise<EmbeddedInventory> {
  const settings = {
    reservationTtlMs: config.STOCKADE_RESERVATION_TTL_MS,
    limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
    expiryCheckIntervalMs: config.STOCKADE_EXPIRY_CHECK_INTERVAL_MS,
  };
  if (context.threaded) {
    const thread = await startInventoryThread(
      { ...settings, dataDir: context.dataDir, busPollIntervalMs: CROSS_THREAD_POLL_INTERVAL_MS, logLevel: config.STOCKADE_LOG_LEVEL },
      {
        // Fail fast, as a crash of the single thread would: no HTTP answering for a dead inventory.
        onCrash: (error) => {
          context.logger.fatal({ err: error }, 'the inventory thread crashed; exiting');
          process.exit(1);
        },
        onAppended: (topic, partitions) => context.bus.appendedElsewhere(topic, partitions),
      },
    );
    const stopForwarding = context.bus.onAppended((topic, partitions) => thread.appendedElsewhere(topic, partitions));
    return {
      threaded: true,
      ...thread,
      close: async () => {
        stopForwarding();
        await thread.close();
      },
    };
  }
  const store = SqliteEventStore.open(join(context.dataDir, 'inventory.db'), { clock: context.clock });
  const node = await startInventoryNode({ bus: context.bus, clock: context.clock, logger: context.logger, store, ...settings });
  return {
    threaded: false,
    facade: node.facade,
    availability: node.availability,
    headPosition: () => store.headPosition(),
    close: async () => {
      await node.close();
      await store.close();
    },
  };
}

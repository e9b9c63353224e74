import { join } from 'node:path';
import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  DEAD_LETTERS_FACADE,
  DeadLettersController,
  OPERATIONS_FACADE,
  OperationsController,
  REBUILD_FACADE,
  RebuildController,
} from '@stockade/operations-nest';
import { TOPICS } from '@stockade/contracts';
import { stockLevelsProjection } from '@stockade/inventory-service';
import type { EventStore } from '@stockade/event-store';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import type { Clock } from '@stockade/kernel';
import type { LogBackedMessageBus } from '@stockade/messaging';
import {
  createDeadLetterOperations,
  createRebuildOperations,
  createStoryOperations,
  releaseThroughInventoryCommands,
} from '@stockade/operations';
import { MESSAGE_BUS, StockadeConfig } from '@stockade/runtime';

const OPERATIONS_STORES = Symbol('OperationsStores');

interface OperationsStores {
  readonly orders: EventStore;
  readonly inventory: EventStore;
}

@Injectable()
class OperationsStoresLifecycle implements OnApplicationShutdown {
  constructor(@Inject(OPERATIONS_STORES) private readonly stores: OperationsStores) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.stores.orders.close(), this.stores.inventory.close()]);
  }
}

/**
 * The operator surface (`/ops`) of the embedded runner. It reads the data directory's stores
 * through connections of its own (WAL lets them read while the services write, on whichever
 * thread inventory runs), and writes none of them: `check --repair` sends inventory its release
 * commands on the bus, and inventory's single writer stores them. Dead letters are read from
 * the message log without consuming them; replays are recorded in the orders file.
 */
@Module({})
export class EmbeddedOperationsModule {
  static register(config: StockadeConfig, clock: Clock): DynamicModule {
    return {
      module: EmbeddedOperationsModule,
      controllers: [OperationsController, DeadLettersController, RebuildController],
      providers: [
        {
          provide: OPERATIONS_STORES,
          useFactory: (): OperationsStores => ({
            orders: SqliteEventStore.open(join(config.STOCKADE_DATA_DIR, 'orders.db'), {
              clock,
              synchronous: config.STOCKADE_SQLITE_SYNCHRONOUS,
            }),
            inventory: SqliteEventStore.open(join(config.STOCKADE_DATA_DIR, 'inventory.db'), {
              clock,
              synchronous: config.STOCKADE_SQLITE_SYNCHRONOUS,
            }),
          }),
        },
        {
          provide: OPERATIONS_FACADE,
          useFactory: (stores: OperationsStores, bus: LogBackedMessageBus) =>
            createStoryOperations({
              ...stores,
              clock,
              settings: {
                paymentTimeoutMs: config.STOCKADE_PAYMENT_TIMEOUT_MS,
                limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
              },
              releaseReservation: releaseThroughInventoryCommands({ bus, now: () => clock.now() }),
            }),
          inject: [OPERATIONS_STORES, MESSAGE_BUS],
        },
        {
          // Dead letters live in the message log; replays are recorded next to the orders.
          provide: DEAD_LETTERS_FACADE,
          useFactory: (stores: OperationsStores, bus: LogBackedMessageBus) =>
            createDeadLetterOperations({ source: bus, bus, records: stores.orders, clock }),
          inject: [OPERATIONS_STORES, MESSAGE_BUS],
        },
        {
          // Republished on the main thread's bus, the same message log the inventory relay writes.
          provide: REBUILD_FACADE,
          useFactory: (stores: OperationsStores, bus: LogBackedMessageBus) =>
            createRebuildOperations({
              store: stores.inventory,
              bus,
              clock,
              projections: {
                'stock-levels': stockLevelsProjection({
                  limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
                  stockLevelsTopic: TOPICS.stockLevels,
                }),
              },
            }),
          inject: [OPERATIONS_STORES, MESSAGE_BUS],
        },
        OperationsStoresLifecycle,
      ],
    };
  }
}

import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@stockade/api';
import { CatalogController, INVENTORY_FACADE, InventoryController, InventoryModule } from '@stockade/inventory-nest';
import type { LogBackedMessageBus, MessageHandoff } from '@stockade/messaging';
import {
  Logger,
  LOGGER,
  MESSAGE_BUS,
  STOCK_AVAILABILITY,
  STOCKADE_CONFIG,
  STOCKADE_METRICS,
  StockadeConfig,
  StockadeMetrics,
} from '@stockade/runtime';
import {
  InventoryThread,
  inventoryWorkerAvailable,
  INVENTORY_WORKER_FILE,
  startInventoryThread,
} from './inventory-thread';

/**
 * How often each thread's message log connection looks for the other thread's commits when
 * inventory runs on its own thread. Each side tells the other what it appended (see
 * AppendedNews), so this poll is only the safety net. It used to be the mechanism, every 2 ms:
 * any commit on the other connection (offset commits included) then woke every consumer of
 * every partition, and those empty reads were the main thread's top cost on the uniform mix.
 */
export const CROSS_THREAD_POLL_INTERVAL_MS = 100;

const INVENTORY_THREAD = Symbol('InventoryThread');

/**
 * STOCKADE_INVENTORY_THREAD unset means: on a thread when the compiled worker is there (running
 * from dist), in-thread otherwise (Jest runs the TypeScript sources). A test clock cannot cross
 * to another thread, so a clock override keeps inventory in-thread too.
 */
export function inventoryRunsOnItsOwnThread(config: StockadeConfig, clockOverridden: boolean): boolean {
  const wanted = config.STOCKADE_INVENTORY_THREAD ?? inventoryWorkerAvailable();
  if (!wanted || clockOverridden) return false;
  if (!inventoryWorkerAvailable()) {
    throw new Error(
      `STOCKADE_INVENTORY_THREAD=true needs the compiled worker ${INVENTORY_WORKER_FILE}: run from dist ("npm run build")`,
    );
  }
  return true;
}

/** Passes appended news both ways between the threads' log connections, registers readiness, and ends the thread after the main side stopped. */
@Injectable()
class InventoryThreadLifecycle implements OnModuleInit, OnApplicationShutdown {
  private stopForwarding: (() => void) | undefined;

  constructor(
    @Inject(INVENTORY_THREAD) private readonly thread: InventoryThread,
    @Inject(MESSAGE_BUS) private readonly bus: LogBackedMessageBus,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
  ) {}

  onModuleInit(): void {
    this.stopForwarding = this.bus.onAppended((topic, partitions) => this.thread.appendedElsewhere(topic, partitions));
    this.health.register('inventory', async () => ({ thread: 'true', events: await this.thread.headPosition() }));
    this.metrics.includeThread(() => this.thread.metricsSnapshot());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopForwarding?.();
    await this.thread.close();
  }
}

/** What the main thread shares with the inventory thread: the message log's write lock, and its handoff (ADR 0031) when on. */
export interface InventoryThreadLinks {
  readonly messageLogWriteLock: SharedArrayBuffer;
  readonly handoff?: MessageHandoff;
}

/** Inventory's HTTP routes and cart availability on the main thread, its module on the inventory thread. */
@Module({})
class InventoryThreadModule {
  static register({ messageLogWriteLock, handoff }: InventoryThreadLinks): DynamicModule {
    return {
      module: InventoryThreadModule,
      controllers: [InventoryController, CatalogController],
      providers: [
        {
          provide: INVENTORY_THREAD,
          useFactory: (config: StockadeConfig, bus: LogBackedMessageBus, logger: Logger) =>
            startInventoryThread(
              {
                config,
                busPollIntervalMs: CROSS_THREAD_POLL_INTERVAL_MS,
                messageLogWriteLock,
                handoffTopics: handoff?.carriedTopics() ?? [],
              },
              {
                ...(handoff ? { handoff } : {}),
                // Fail fast, as a crash of the single thread would: no HTTP answering for a dead inventory.
                onCrash: (error) => {
                  logger.fatal({ err: error }, 'the inventory thread crashed; exiting');
                  process.exit(1);
                },
                onAppended: (topic, partitions) => bus.appendedElsewhere(topic, partitions),
              },
            ),
          inject: [STOCKADE_CONFIG, MESSAGE_BUS, LOGGER],
        },
        {
          provide: INVENTORY_FACADE,
          useFactory: (thread: InventoryThread) => thread.facade,
          inject: [INVENTORY_THREAD],
        },
        {
          provide: STOCK_AVAILABILITY,
          useFactory: (thread: InventoryThread) => thread.availability,
          inject: [INVENTORY_THREAD],
        },
        InventoryThreadLifecycle,
      ],
      exports: [INVENTORY_FACADE, STOCK_AVAILABILITY],
    };
  }
}

/**
 * The embedded runner's inventory module: on its own thread (sharing the message log's write lock
 * with the main thread's bus), or the InventoryModule itself in this thread.
 */
export function embeddedInventoryModule(thread: InventoryThreadLinks | undefined): DynamicModule {
  return thread ? InventoryThreadModule.register(thread) : InventoryModule.register();
}

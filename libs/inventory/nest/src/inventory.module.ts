import { DynamicModule, Module } from '@nestjs/common';
import { StockOffer, stockOfferOf } from '@stockade/contracts';
import type { EventStore } from '@stockade/event-store';
import { createInventoryService, InventoryService } from '@stockade/inventory-service';
import type { Clock } from '@stockade/kernel';
import type { Tracer } from '@opentelemetry/api';
import {
  CLOCK,
  Logger,
  LOGGER,
  openEventStore,
  STOCK_AVAILABILITY,
  STOCKADE_CONFIG,
  STOCKADE_METRICS,
  StockadeConfig,
  StockadeMetrics,
  TRACER,
  tracedStore,
} from '@stockade/runtime';
import { InventoryCommandsController } from './inventory-commands.controller';
import { InventoryLifecycle } from './inventory-lifecycle';
import { INVENTORY_EVENT_STORE, INVENTORY_SERVICE } from './inventory.tokens';
import { CatalogController } from './catalog.controller';
import { InventoryController } from './inventory.controller';
import { INVENTORY_FACADE } from './inventory.facade';

/**
 * Availability and listings straight from the stock aggregates: what carts use (their
 * StockAvailability port, by STOCK_AVAILABILITY) when inventory runs in the same process.
 */
function availabilityOf(inventory: InventoryService): {
  offers(skus: readonly string[]): Promise<ReadonlyMap<string, StockOffer | undefined>>;
} {
  return {
    offers: async (skus) =>
      new Map(
        await Promise.all(
          skus.map(async (sku) => {
            const view = await inventory.queries.getStock(sku);
            return [sku, view && stockOfferOf(view)] as const;
          }),
        ),
      ),
  };
}

/**
 * The inventory service: stock aggregates with a single writer per SKU, the reservation expiry
 * timer, its outbox relay, the `inventory.commands` handler and the stock HTTP routes. Its event
 * store is the one the configuration names (SQLite, PostgreSQL or KurrentDB).
 */
export interface InventoryModuleOptions {
  /** Serve the stock routes (default). Off on the embedded inventory thread, whose routes the main thread serves. */
  readonly http?: boolean;
}

@Module({})
export class InventoryModule {
  static register(options: InventoryModuleOptions = {}): DynamicModule {
    return {
      module: InventoryModule,
      controllers: [
        InventoryCommandsController,
        ...(options.http === false ? [] : [InventoryController, CatalogController]),
      ],
      providers: [
        {
          provide: INVENTORY_EVENT_STORE,
          useFactory: async (config: StockadeConfig, clock: Clock, tracer: Tracer | null) =>
            tracedStore(await openEventStore(config, { file: 'inventory.db', schema: 'inventory' }, clock), tracer),
          inject: [STOCKADE_CONFIG, CLOCK, TRACER],
        },
        {
          provide: INVENTORY_SERVICE,
          useFactory: (
            store: EventStore,
            clock: Clock,
            config: StockadeConfig,
            logger: Logger,
            metrics: StockadeMetrics,
          ) =>
            createInventoryService({
              store,
              clock,
              reservationTtlMs: config.STOCKADE_RESERVATION_TTL_MS,
              limitedThreshold: config.STOCKADE_LIMITED_THRESHOLD,
              expiryCheckIntervalMs: config.STOCKADE_EXPIRY_CHECK_INTERVAL_MS,
              maxCachedStreams: config.STOCKADE_MAX_CACHED_STREAMS,
              snapshotInterval: config.STOCKADE_SNAPSHOT_INTERVAL,
              shards: config.STOCKADE_INVENTORY_SHARDS,
              onFenceError: (error, shard) =>
                logger.warn(
                  { err: error, shard },
                  'could not take the fence of an inventory shard; it stays unowned until the next rebalance',
                ),
              onShardLost: (shard, refusal) => {
                metrics.inventoryFenceRefused(shard);
                logger.warn(
                  { shard, heldEpoch: refusal.heldEpoch, currentEpoch: refusal.currentEpoch },
                  'an append was refused by the fence of an inventory shard: another instance owns it now; its commands go to that owner',
                );
              },
              onExpiryError: (error, checkoutId) =>
                logger.warn({ err: error, checkoutId }, 'reservation expiry failed; retrying on the next pass'),
              onReservationsExpired: (count) => metrics.reservationsExpired(count),
              onSnapshotSaveError: (error, streams) =>
                logger.warn(
                  { err: error, streams: streams.length },
                  'snapshots not saved; those SKUs will load more events next time',
                ),
            }),
          inject: [INVENTORY_EVENT_STORE, CLOCK, STOCKADE_CONFIG, LOGGER, STOCKADE_METRICS],
        },
        {
          provide: INVENTORY_FACADE,
          useFactory: (inventory: InventoryService) => inventory.facade,
          inject: [INVENTORY_SERVICE],
        },
        { provide: STOCK_AVAILABILITY, useFactory: availabilityOf, inject: [INVENTORY_SERVICE] },
        InventoryLifecycle,
      ],
      exports: [INVENTORY_FACADE, STOCK_AVAILABILITY, INVENTORY_EVENT_STORE, INVENTORY_SERVICE],
    };
  }
}

import { randomUUID } from 'node:crypto';
import { ValidationError } from '@stockade/kernel';
import type {
  CatalogList,
  CatalogQuery,
  InventoryList,
  InventoryListQuery,
  InventoryView,
  ListingRequest,
  ReplenishmentList,
  StockSettingsRequest,
} from '@stockade/contracts';
import type { EventStore, FenceLost, RecordedEvent } from '@stockade/event-store';
import type { RelayedMessage } from '@stockade/messaging';
import { InventoryCommandHandler } from './inventory-command-handler';
import { InventoryModuleOptions, resolveInventoryOptions } from './inventory-options';
import { createInventoryOutbox } from './inventory-outbox';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import { ReservationExpiryScheduler } from './reservation-expiry-scheduler';
import { ShardOwnership, type ShardOwnershipOptions } from './shard-ownership';

export interface InventoryServiceDependencies extends InventoryModuleOptions {
  readonly store: EventStore;
  /** Told about reservation expiries that failed (they are retried on the next pass). */
  readonly onExpiryError?: (error: unknown, checkoutId: string) => void;
  /** Told how many reservations each expiry pass released (metrics). */
  readonly onReservationsExpired?: (count: number) => void;
  /**
   * Inventory shards (STOCKADE_INVENTORY_SHARDS, ADR 0020). Above 1, this instance decides checkouts
   * only for the shards `ownership.assign` gives it (the inventory.commands partitions its consumer
   * holds), under fences of the store, which must have them (PostgreSQL). Default 1: it owns all.
   */
  readonly shards?: number;
  /** Told when a shard's fence could not be taken (the store was down): the shard stays unowned until the next assignment. */
  readonly onFenceError?: (error: unknown, shard: number) => void;
  /** Told when this instance's append was refused by a shard's fence: another instance owns the shard now. */
  readonly onShardLost?: (shard: number, error: FenceLost) => void;
}

/** What the HTTP API's InventoryFacade needs; operator commands get a fresh command id each. */
export interface InventoryOperatorFacade {
  getStock(sku: string): Promise<InventoryView | undefined>;
  receiveStock(sku: string, quantity: number, purchaseOrderId?: string): Promise<InventoryView>;
  adjustStock(sku: string, delta: number, reason: string): Promise<InventoryView>;
  configureStock(sku: string, settings: StockSettingsRequest): Promise<InventoryView>;
  /** The SKU's name and price in the catalog (it may be listed before its first receipt). */
  setListing(sku: string, listing: ListingRequest): Promise<InventoryView>;
  listStock(query: InventoryListQuery): Promise<InventoryList>;
  listCatalog(query: CatalogQuery): Promise<CatalogList>;
  listReplenishment(): Promise<ReplenishmentList>;
}

export interface InventoryService {
  readonly writer: InventoryWriter;
  readonly queries: InventoryQueries;
  readonly scheduler: ReservationExpiryScheduler;
  readonly commandHandler: InventoryCommandHandler;
  /** The relay's mapping from a stored event to the messages it publishes. */
  readonly outbox: (event: RecordedEvent) => RelayedMessage[];
  readonly facade: InventoryOperatorFacade;
  /** With shards > 1: the shards this instance owns; the app hands it the consumer's assignments. */
  readonly ownership: ShardOwnership | undefined;
  /** Rebuilds the expiry timers from the log and starts checking them. */
  start(): Promise<void>;
  /** Stops the timer, waits for commands in flight and leaves snapshots for the next start. The store is the caller's to close. */
  stop(): Promise<void>;
}

/** Wires the inventory service from a store and options; the NestJS module only calls this. */
export function createInventoryService(dependencies: InventoryServiceDependencies): InventoryService {
  const {
    store,
    onExpiryError,
    onReservationsExpired,
    shards = 1,
    onFenceError,
    onShardLost,
    ...moduleOptions
  } = dependencies;
  const options = resolveInventoryOptions(moduleOptions);
  const ownership = shardOwnershipFor(store, shards, (gone) => writer.forgetShards(gone), {
    onError: onFenceError,
    onLost: onShardLost,
  });
  const writer = new InventoryWriter(store, options, ownership);
  const queries = new InventoryQueries(store, options.limitedThreshold);
  const scheduler = new ReservationExpiryScheduler(store, writer, {
    clock: options.clock,
    ...(ownership ? { owns: (sku: string) => ownership.owns(sku) } : {}),
    checkIntervalMs: options.expiryCheckIntervalMs,
    ...(onExpiryError ? { onError: onExpiryError } : {}),
    ...(onReservationsExpired ? { onExpired: onReservationsExpired } : {}),
  });
  const operatorCommand = (correlationId: string) => {
    const commandId = randomUUID();
    return { commandId, correlationId, causationId: commandId };
  };
  return {
    writer,
    queries,
    scheduler,
    ownership,
    commandHandler: new InventoryCommandHandler(writer),
    outbox: createInventoryOutbox({ limitedThreshold: options.limitedThreshold }),
    facade: {
      getStock: (sku) => queries.getStock(sku),
      receiveStock: (sku, quantity, purchaseOrderId) =>
        writer.receiveStock(sku, quantity, operatorCommand(purchaseOrderId ?? sku), purchaseOrderId),
      adjustStock: (sku, delta, reason) => writer.adjustStock(sku, delta, reason, operatorCommand(sku)),
      configureStock: (sku, settings) => writer.configureStock({ sku, ...settings }, operatorCommand(sku)),
      setListing: (sku, listing) =>
        writer.setListing({ sku, name: listing.name, unitPrice: listing.unitPrice }, operatorCommand(sku)),
      listStock: (query) => queries.listPage(query),
      listCatalog: (query) => queries.listCatalog(query),
      listReplenishment: () => queries.listReplenishment(),
    },
    start: () => scheduler.start(),
    stop: async () => {
      await scheduler.stop();
      await writer.whenIdle();
      await writer.snapshotBeforeStop();
    },
  };
}

function shardOwnershipFor(
  store: EventStore,
  shards: number,
  forget: (shards: readonly number[]) => void,
  hooks: Pick<ShardOwnershipOptions, 'onError' | 'onLost'>,
): ShardOwnership | undefined {
  if (!Number.isInteger(shards) || shards < 1)
    throw new ValidationError([
      { field: 'STOCKADE_INVENTORY_SHARDS', message: `must be a whole number of at least 1, got ${shards}` },
    ]);
  if (shards === 1) return undefined;
  const takeFence = store.takeFence?.bind(store);
  if (!takeFence)
    throw new ValidationError([
      {
        field: 'STOCKADE_INVENTORY_SHARDS',
        message: `${shards} shards need an event store with fences (PostgreSQL); this one has none`,
      },
    ]);
  return new ShardOwnership({
    shards,
    takeFence,
    forget,
    ...(hooks.onError ? { onError: hooks.onError } : {}),
    ...(hooks.onLost ? { onLost: hooks.onLost } : {}),
  });
}

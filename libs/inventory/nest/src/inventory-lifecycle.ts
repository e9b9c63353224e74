import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HealthRegistry } from '@stockade/api';
import { INVENTORY_SHARDS_SETTING, TOPICS } from '@stockade/contracts';
import type { EventStore } from '@stockade/event-store';
import type { InventoryService } from '@stockade/inventory-service';
import type { MessageBus } from '@stockade/messaging';
import {
  checkShardedTopic,
  Logger,
  LOGGER,
  MESSAGE_BUS,
  PARTITION_ASSIGNMENTS,
  PartitionAssignments,
  RelayLeadership,
  startStoreWithOutbox,
  StoreWithOutbox,
  STOCKADE_CONFIG,
  STOCKADE_METRICS,
  StockadeConfig,
  StockadeMetrics,
  TRACER,
} from '@stockade/runtime';
import type { Tracer } from '@opentelemetry/api';
import { INVENTORY_COMMANDS_GROUP, INVENTORY_EVENT_STORE, INVENTORY_SERVICE } from './inventory.tokens';

/** Sharded, the instances share one store: its relay runs on the owner of this shard (RelayLeadership). */
const RELAY_SHARD = 0;

/**
 * Starts what inventory runs besides its handlers (the expiry timer, the outbox relay) before the
 * consumers subscribe, and stops them after the consumers stopped: shutdown hooks run after Nest
 * closed the transport, so every command in flight is decided and committed before the writer
 * drains, the relay publishes its last page, and the store closes.
 */
@Injectable()
export class InventoryLifecycle implements OnModuleInit, OnApplicationShutdown {
  private outbox: StoreWithOutbox | undefined;

  constructor(
    @Inject(INVENTORY_SERVICE) private readonly inventory: InventoryService,
    @Inject(INVENTORY_EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
    @Inject(TRACER) private readonly tracer: Tracer | null,
    @Inject(STOCKADE_CONFIG) private readonly config: StockadeConfig,
    @Inject(PARTITION_ASSIGNMENTS) private readonly assignments: PartitionAssignments,
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const { ownership } = this.inventory;
    if (ownership) {
      await checkShardedTopic(
        this.bus.partitionsOf?.bind(this.bus),
        TOPICS.inventoryCommands,
        ownership.shards,
        this.config.KAFKA_TOPIC_PARTITIONS,
        INVENTORY_SHARDS_SETTING,
      );
      // The shards this instance writes are the inventory.commands partitions its group gives it (ADR 0020).
      this.assignments.on(INVENTORY_COMMANDS_GROUP, (partitions) => {
        ownership.assign(partitions);
        this.metrics.inventoryShardsOwned(ownership.shards, partitions);
        this.logger.info({ shards: partitions.length > 0 ? partitions.join(',') : 'none' }, 'inventory shards owned');
      });
    }
    const leadership = ownership ? new RelayLeadership('inventory-outbox', this.logger) : undefined;
    leadership?.follow(this.assignments, INVENTORY_COMMANDS_GROUP, RELAY_SHARD);
    await this.inventory.start();
    this.outbox = startStoreWithOutbox({
      store: this.store,
      bus: this.bus,
      logger: this.logger,
      metrics: this.metrics,
      tracer: this.tracer,
      relay: {
        name: 'inventory-outbox',
        streamPrefixes: ['reservation-', 'stock-'],
        map: this.inventory.outbox,
        latestPerKeyTopics: [TOPICS.stockLevels],
        latestPerKeyHoldMs: this.config.STOCKADE_STOCK_LEVEL_INTERVAL_MS,
      },
      ...(this.health ? { health: { registry: this.health, name: 'inventory-store' } } : {}),
      startRelay: !leadership,
    });
    leadership?.attach(this.outbox.relay);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.inventory.stop();
    await this.outbox?.close();
  }
}

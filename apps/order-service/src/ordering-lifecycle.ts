import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HealthRegistry } from '@stockade/api';
import type { EventStore } from '@stockade/event-store';
import type { MessageBus } from '@stockade/messaging';
import type { createOrderingService } from '@stockade/ordering-service';
import { TOPICS } from '@stockade/contracts';
import { checkInventoryShards, Logger, LOGGER, MESSAGE_BUS, startStoreWithOutbox, STOCKADE_CONFIG, STOCKADE_METRICS, StockadeConfig, StockadeMetrics, TRACER } from '@stockade/runtime';
import type { Tracer } from '@opentelemetry/api';
import { ORDERING, ORDERING_EVENT_STORE } from './ordering.tokens';

/**
 * Starts the order outbox relay (and, with inventory shards, the answer deadline of orders in
 * parts) before the consumers subscribe; after they stopped, publishes its last page and closes the store.
 */
@Injectable()
export class OrderingLifecycle implements OnModuleInit, OnApplicationShutdown {
  private outbox: { close(): Promise<void> } | undefined;

  constructor(
    @Inject(ORDERING) private readonly ordering: ReturnType<typeof createOrderingService>,
    @Inject(ORDERING_EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
    @Inject(TRACER) private readonly tracer: Tracer | null,
    @Inject(STOCKADE_CONFIG) private readonly config: StockadeConfig,
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    // Orders are split by the same shard count inventory owns by (ADR 0020): checked against the topic before anything is sent.
    await checkInventoryShards(this.bus.partitionsOf?.bind(this.bus), TOPICS.inventoryCommands, this.config.STOCKADE_INVENTORY_SHARDS, this.config.KAFKA_TOPIC_PARTITIONS);
    this.outbox = startStoreWithOutbox({
      store: this.store,
      bus: this.bus,
      logger: this.logger,
      metrics: this.metrics,
      tracer: this.tracer,
      relay: { name: 'orders-outbox', streamPrefixes: this.ordering.streamPrefixes, map: this.ordering.outbox },
      ...(this.health ? { health: { registry: this.health, name: 'order-store' } } : {}),
    });
    await this.ordering.partsAnswerDeadline?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ordering.partsAnswerDeadline?.stop();
    await this.outbox?.close();
  }
}

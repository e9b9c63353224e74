import { Inject, Injectable, OnApplicationShutdown, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { HealthRegistry } from '@stockade/api';
import type { EventStore } from '@stockade/event-store';
import type { MessageBus } from '@stockade/messaging';
import type { createOrderingService } from '@stockade/ordering-service';
import { INVENTORY_SHARDS_SETTING, TOPICS } from '@stockade/contracts';
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
import type { CheckoutAdmission } from './checkout-admission';
import { CHECKOUT_ADMISSION, ORDER_SAGA_GROUP, ORDERING, ORDERING_EVENT_STORE } from './ordering.tokens';

/**
 * Starts the order outbox relay (and, with inventory shards, the answer deadline of orders in
 * parts) before the consumers subscribe; after they stopped, publishes its last page and closes the store.
 * Before they stop, checkouts still waiting for admission are let go (no outcome will come to free
 * room once the consumers stop; they are taken again after the restart).
 */
@Injectable()
export class OrderingLifecycle implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private outbox: StoreWithOutbox | undefined;

  constructor(
    @Inject(ORDERING) private readonly ordering: ReturnType<typeof createOrderingService>,
    @Inject(ORDERING_EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
    @Inject(TRACER) private readonly tracer: Tracer | null,
    @Inject(STOCKADE_CONFIG) private readonly config: StockadeConfig,
    @Inject(PARTITION_ASSIGNMENTS) private readonly assignments: PartitionAssignments,
    @Inject(CHECKOUT_ADMISSION) private readonly admission: CheckoutAdmission,
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    // Orders are split by the same shard count inventory owns by (ADR 0020): checked against the topic before anything is sent.
    await checkShardedTopic(
      this.bus.partitionsOf?.bind(this.bus),
      TOPICS.inventoryCommands,
      this.config.STOCKADE_INVENTORY_SHARDS,
      this.config.KAFKA_TOPIC_PARTITIONS,
      INVENTORY_SHARDS_SETTING,
    );
    // On Kafka, order-service instances share the order store: one relays it (the log-backed buses run one process per store).
    const leadership =
      this.config.STOCKADE_BUS === 'kafka' ? new RelayLeadership('orders-outbox', this.logger) : undefined;
    leadership?.follow(this.assignments, ORDER_SAGA_GROUP);
    this.outbox = startStoreWithOutbox({
      store: this.store,
      bus: this.bus,
      logger: this.logger,
      metrics: this.metrics,
      tracer: this.tracer,
      relay: { name: 'orders-outbox', streamPrefixes: this.ordering.streamPrefixes, map: this.ordering.outbox },
      ...(this.health ? { health: { registry: this.health, name: 'order-store' } } : {}),
      startRelay: !leadership,
    });
    leadership?.attach(this.outbox.relay);
    await this.ordering.partsAnswerDeadline?.start();
  }

  /** Nest runs this before it closes the consumers, which wait for their handlers. */
  onModuleDestroy(): void {
    this.admission.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ordering.partsAnswerDeadline?.stop();
    await this.outbox?.close();
  }
}

import { DynamicModule, Inject, Module, OnModuleInit, Optional } from '@nestjs/common';
import { HealthRegistry } from '@stockade/api';
import { Clock, systemClock } from '@stockade/kernel';
import { hasBacklog, MessageBus } from '@stockade/messaging';
import { MessageBusClient, MessageBusServer } from '@stockade/nest-bus';
import type { StockadeConfig } from '../config';
import type { Logger } from '../logger';
import type { StockadeMetrics } from '../metrics';
import type { Tracer } from '@opentelemetry/api';
import { PartitionAssignments } from '../partition-assignments';
import {
  BUS_CLIENT,
  BUS_SERVER,
  CLOCK,
  LOGGER,
  MESSAGE_BUS,
  PARTITION_ASSIGNMENTS,
  STOCKADE_CONFIG,
  STOCKADE_METRICS,
  TRACER,
} from './tokens';

export interface InfrastructureOptions {
  readonly config: StockadeConfig;
  readonly logger: Logger;
  readonly metrics: StockadeMetrics;
  /** Opened and closed by the bootstrap: its adapter depends on the configuration, and it must close after every module flushed into it. */
  readonly bus: MessageBus;
  readonly server: MessageBusServer;
  /** What the server is told of its groups' partitions (a new, unused one when absent). */
  readonly assignments?: PartitionAssignments;
  readonly clock?: Clock;
  /** Present when tracing is on: the stores stamp appends with it, the relays' publishes are spans. */
  readonly tracer?: Tracer;
}

/** Registers the bus and its consumers as readiness checks, and their backlogs (lag, dead letters) as metrics. */
class BusHealth implements OnModuleInit {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BUS_SERVER) private readonly server: MessageBusServer,
    @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
    // Absent where nothing serves HTTP (the embedded inventory thread).
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
  ) {}

  onModuleInit(): void {
    if (hasBacklog(this.bus)) this.metrics.watchBacklog(this.bus, () => this.server.consumerTopics());
    if (!this.health) return;
    this.health.register('bus', () => this.bus.checkConnection());
    this.health.register('consumers', async () => {
      if (!this.server.isListening()) throw new Error('the message consumers are not running');
      return { groups: [...new Set(this.server.consumerGroups())].join(',') };
    });
  }
}

/**
 * What every Stockade app shares: configuration, clock, logger, metrics, the message bus with
 * the Nest transport over it (server for `@EventPattern` handlers, client for publishing). Global,
 * so service modules inject the tokens without importing it; only the app's root imports it.
 */
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    const providers = [
      { provide: STOCKADE_CONFIG, useValue: options.config },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: LOGGER, useValue: options.logger },
      { provide: STOCKADE_METRICS, useValue: options.metrics },
      { provide: MESSAGE_BUS, useValue: options.bus },
      { provide: BUS_SERVER, useValue: options.server },
      { provide: PARTITION_ASSIGNMENTS, useValue: options.assignments ?? new PartitionAssignments() },
      { provide: TRACER, useValue: options.tracer ?? null },
      { provide: BUS_CLIENT, useFactory: (bus: MessageBus) => new MessageBusClient(bus), inject: [MESSAGE_BUS] },
    ];
    return {
      module: InfrastructureModule,
      global: true,
      providers: [...providers, BusHealth],
      exports: providers.map((provider) => provider.provide),
    };
  }
}

import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import {
  AccessPolicy,
  HealthRegistry,
  HttpLimits,
  HttpShellModule,
  LIVE_STOCK,
  LiveStockLevels,
  LiveStockSocketGateway,
  MetricsSource,
  ReadinessProbe,
} from '@stockade/api';
import {
  DEAD_LETTERS_FACADE,
  DeadLettersController,
  OPERATIONS_FACADE,
  OperationsController,
  REBUILD_FACADE,
  RebuildController,
} from '@stockade/operations-nest';
import { CARTS_FACADE, CartsController, CartsFacade } from '@stockade/cart-nest';
import {
  CatalogController,
  INVENTORY_FACADE,
  InventoryController,
  InventoryFacade,
  LiveStockController,
} from '@stockade/inventory-nest';
import type { DeadLetterOperations, RebuildOperations, StoryOperations } from '@stockade/operations';
import { ORDERS_FACADE, OrdersController, OrdersFacade } from '@stockade/ordering-nest';

/** A service run alone serves only its own routes: leave the other facades out. */
export interface HttpApiDependencies {
  readonly orders?: OrdersFacade;
  readonly inventory?: InventoryFacade;
  readonly carts?: CartsFacade;
  readonly readiness: ReadinessProbe;
  readonly access: AccessPolicy;
  readonly metrics?: MetricsSource;
  readonly limits?: Partial<HttpLimits>;
  /** The operator surface (`/ops/*`), where the deployment can answer it. */
  readonly operations?: StoryOperations;
  /** Its dead-letter routes, where the deployment can read its dead-letter topics. */
  readonly deadLetters?: DeadLetterOperations;
  /** Its read-model rebuilds, where the deployment can read the store and publish to the bus. */
  readonly rebuilds?: RebuildOperations;
  /** Live stock streams, where the deployment consumes inventory.stock-levels. */
  readonly liveStock?: LiveStockLevels;
}

const READINESS_PROBE = Symbol('ReadinessProbe');

/** Registers a single ReadinessProbe (the gateway's view of its upstreams) as the readiness check `upstreams`. */
class ReadinessProbeRegistration implements OnModuleInit {
  constructor(
    @Inject(READINESS_PROBE) private readonly probe: ReadinessProbe,
    @Inject(HealthRegistry) private readonly registry: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register('upstreams', async () => {
      const { ready, details } = await this.probe.check();
      if (!ready)
        throw new Error(
          Object.entries(details)
            .map(([name, state]) => `${name}: ${state}`)
            .join(', '),
        );
      return details;
    });
  }
}

/**
 * The whole public HTTP contract from one object of facades: for the gateway, whose facades are
 * remote clients of the services, and for tests of the HTTP layer alone. A service app declares
 * its own controllers in its context's Nest library instead (libs/<context>/nest).
 */
@Module({})
export class HttpApiModule {
  static register(dependencies: HttpApiDependencies, version = '0.1.0'): DynamicModule {
    return {
      module: HttpApiModule,
      imports: [
        HttpShellModule.forRoot({
          access: dependencies.access,
          ...(dependencies.metrics ? { metrics: dependencies.metrics } : {}),
          ...(dependencies.limits ? { limits: dependencies.limits } : {}),
          version,
          pages: true,
        }),
      ],
      controllers: [
        ...(dependencies.orders ? [OrdersController] : []),
        ...(dependencies.inventory ? [InventoryController, CatalogController] : []),
        ...(dependencies.carts ? [CartsController] : []),
        ...(dependencies.operations ? [OperationsController] : []),
        ...(dependencies.deadLetters ? [DeadLettersController] : []),
        ...(dependencies.rebuilds ? [RebuildController] : []),
        ...(dependencies.liveStock ? [LiveStockController] : []),
      ],
      providers: [
        ...(dependencies.orders ? [{ provide: ORDERS_FACADE, useValue: dependencies.orders }] : []),
        ...(dependencies.inventory ? [{ provide: INVENTORY_FACADE, useValue: dependencies.inventory }] : []),
        ...(dependencies.carts ? [{ provide: CARTS_FACADE, useValue: dependencies.carts }] : []),
        ...(dependencies.operations ? [{ provide: OPERATIONS_FACADE, useValue: dependencies.operations }] : []),
        ...(dependencies.deadLetters ? [{ provide: DEAD_LETTERS_FACADE, useValue: dependencies.deadLetters }] : []),
        ...(dependencies.rebuilds ? [{ provide: REBUILD_FACADE, useValue: dependencies.rebuilds }] : []),
        ...(dependencies.liveStock
          ? [{ provide: LIVE_STOCK, useValue: dependencies.liveStock }, LiveStockSocketGateway]
          : []),
        { provide: READINESS_PROBE, useValue: dependencies.readiness },
        ReadinessProbeRegistration,
      ],
    };
  }
}

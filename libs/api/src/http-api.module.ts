import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { CartsController } from './carts.controller';
import { CatalogController } from './catalog.controller';
import { CARTS_FACADE, HttpApiDependencies, INVENTORY_FACADE, DEAD_LETTERS_FACADE,
  REBUILD_FACADE, OPERATIONS_FACADE, ORDERS_FACADE, ReadinessProbe } from './facades';
import { DeadLettersController, OperationsController } from './operations.controller';
import { RebuildController } from './rebuild.controller';
import { LIVE_STOCK } from './live-stock';
import { LiveStockController } from './live-stock.controller';
import { LiveStockSocketGateway } from './live-stock.gateway';
import { HealthRegistry } from './health-registry';
import { HttpShellModule } from './http-shell.module';
import { InventoryController } from './inventory.controller';
import { OrdersController } from './orders.controller';

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
      if (!ready) throw new Error(Object.entries(details).map(([name, state]) => `${name}: ${state}`).join(', '));
      return details;
    });
  }
}

/**
 * The whole public HTTP contract from one object of facades: for the gateway, whose facades are
 * remote clients of the services, and for tests of the HTTP layer alone. A service app declares
 * its own controllers in its own module instead (apps/<service>/src).
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
      controllers: [...(dependencies.orders ? [OrdersController] : []), ...(dependencies.inventory ? [InventoryController, CatalogController] : []), ...(dependencies.carts ? [CartsController] : []), ...(dependencies.operations ? [OperationsController] : []), ...(dependencies.deadLetters ? [DeadLettersController] : []), ...(dependencies.rebuilds ? [RebuildController] : []), ...(dependencies.liveStock ? [LiveStockController] : [])],
      providers: [
        ...(dependencies.orders ? [{ provide: ORDERS_FACADE, useValue: dependencies.orders }] : []),
        ...(dependencies.inventory ? [{ provide: INVENTORY_FACADE, useValue: dependencies.inventory }] : []),
        ...(dependencies.carts ? [{ provide: CARTS_FACADE, useValue: dependencies.carts }] : []),
        ...(dependencies.operations ? [{ provide: OPERATIONS_FACADE, useValue: dependencies.operations }] : []),
        ...(dependencies.deadLetters ? [{ provide: DEAD_LETTERS_FACADE, useValue: dependencies.deadLetters }] : []),
        ...(dependencies.rebuilds ? [{ provide: REBUILD_FACADE, useValue: dependencies.rebuilds }] : []),
        ...(dependencies.liveStock ? [{ provide: LIVE_STOCK, useValue: dependencies.liveStock }, LiveStockSocketGateway] : []),
        { provide: READINESS_PROBE, useValue: dependencies.readiness },
        ReadinessProbeRegistration,
      ],
    };
  }
}

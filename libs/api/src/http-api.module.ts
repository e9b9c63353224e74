import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { CartsController } from './carts.controller';
import { ErrorResponseFilter } from './error-responses';
import { HTTP_API_DEPENDENCIES, HttpApiDependencies } from './facades';
import { HealthController } from './health.controller';
import { DocsController, OPENAPI_DOCUMENT } from './docs.controller';
import { buildOpenApiDocument } from './openapi';
import { InventoryController } from './inventory.controller';
import { OrdersController } from './orders.controller';

/** The public HTTP contract as one Nest module; the facades behind it decide embedded or distributed. */
@Module({})
export class HttpApiModule {
  static register(dependencies: HttpApiDependencies, version = '0.1.0'): DynamicModule {
    return {
      module: HttpApiModule,
      controllers: [
        ...(dependencies.orders ? [OrdersController] : []),
        ...(dependencies.inventory ? [InventoryController] : []),
        ...(dependencies.carts ? [CartsController] : []),
        HealthController,
        DocsController,
      ],
      providers: [
        { provide: HTTP_API_DEPENDENCIES, useValue: dependencies },
        { provide: OPENAPI_DOCUMENT, useValue: buildOpenApiDocument(version) },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ErrorResponseFilter },
      ],
    };
  }
}

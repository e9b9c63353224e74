import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LiveStockLevels, OpenApiDocument, openApiDocumentOf } from '@stockade/api';
import type { CartsFacade } from '@stockade/cart-nest';
import type { InventoryFacade } from '@stockade/inventory-nest';
import type { OrdersFacade } from '@stockade/ordering-nest';
import { HttpApiDependencies, HttpApiModule } from './http-api.module';

/** Never called: the whole document is generated from the controllers, which need their facades only to be constructed. */
const unused = <T>(): T => ({}) as T;

/**
 * The document of every route (docs/openapi.json, what the gateway serves): the gateway's app
 * (HttpApiModule with every facade) created, never initialised nor listening, and documented.
 */
export async function buildOpenApiDocument(version: string): Promise<OpenApiDocument> {
  const everyFacade: HttpApiDependencies = {
    orders: unused<OrdersFacade>(),
    inventory: unused<InventoryFacade>(),
    carts: unused<CartsFacade>(),
    operations: unused(),
    deadLetters: unused(),
    rebuilds: unused(),
    liveStock: unused<LiveStockLevels>(),
    metrics: unused(),
    readiness: unused(),
    access: { operatorToken: 'unused' },
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    HttpApiModule.register(everyFacade, version),
    new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  try {
    return openApiDocumentOf(app, version);
  } finally {
    await app.close();
  }
}

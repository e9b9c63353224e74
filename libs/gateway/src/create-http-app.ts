import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { HttpAppOptions, serveOwnOpenApiDocument, stockadeHttpAdapter } from '@stockade/api';
import { HttpApiDependencies, HttpApiModule } from './http-api.module';

export type { HttpAppOptions } from '@stockade/api';

/** Builds (does not listen) a Fastify-based Nest application serving the facades' routes and /docs (Swagger UI, the document of those routes). */
export async function createHttpApp(
  dependencies: HttpApiDependencies,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = stockadeHttpAdapter(options);
  options.prepare?.(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    HttpApiModule.register(dependencies, options.version),
    adapter,
    {
      logger: options.logger ?? ['error', 'warn'],
      abortOnError: false,
    },
  );
  // The live stock WebSocket (LiveStockSocketGateway) on the HTTP server's own port.
  app.useWebSocketAdapter(new WsAdapter(app));
  serveOwnOpenApiDocument(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

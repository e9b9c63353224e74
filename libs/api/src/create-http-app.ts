import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { acceptNdjson } from './checkout-batch';
import { HttpApiDependencies } from './facades';
import { HttpApiModule } from './http-api.module';

export interface HttpAppOptions {
  /** Largest accepted request body in bytes (default 64 KiB); larger gets 413. */
  readonly bodyLimitBytes?: number;
  /** Largest NDJSON body (batch checkouts), default 4 MiB. */
  readonly batchBodyLimitBytes?: number;
  readonly version?: string;
  /** Nest's own start-up logging; off in tests. */
  readonly logger?: false | ('error' | 'warn' | 'log')[];
}

/** The Fastify adapter every Stockade HTTP app uses: JSON up to `bodyLimitBytes`, NDJSON (batch checkouts) up to `batchBodyLimitBytes`; past them 413. */
export function stockadeHttpAdapter(bodyLimitBytes = 64 * 1024, batchBodyLimitBytes = 4 * 1024 * 1024): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: bodyLimitBytes });
  acceptNdjson(adapter.getInstance(), batchBodyLimitBytes);
  return adapter;
}

/** Builds (does not listen) a Fastify-based Nest application serving the facades' routes and /docs (Swagger UI). */
export async function createHttpApp(dependencies: HttpApiDependencies, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(HttpApiModule.register(dependencies, options.version), stockadeHttpAdapter(options.bodyLimitBytes, options.batchBodyLimitBytes), {
    logger: options.logger ?? ['error', 'warn'],
    abortOnError: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

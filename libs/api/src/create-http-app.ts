import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpApiDependencies } from './facades';
import { HttpApiModule } from './http-api.module';

export interface HttpAppOptions {
  /** Largest accepted request body in bytes (default 64 KiB); larger gets 413. */
  readonly bodyLimitBytes?: number;
  readonly version?: string;
  /** Nest's own start-up logging; off in tests. */
  readonly logger?: false | ('error' | 'warn' | 'log')[];
}

/** Builds (does not listen) the Fastify-based Nest application serving the public API and /docs (Swagger UI). */
export async function createHttpApp(dependencies: HttpApiDependencies, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 64 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(HttpApiModule.register(dependencies, options.version), adapter, {
    logger: options.logger ?? ['error', 'warn'],
    abortOnError: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

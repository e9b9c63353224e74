import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpAppOptions, stockadeHttpAdapter } from '@stockade/api';
import { HttpApiDependencies, HttpApiModule } from './http-api.module';

export type { HttpAppOptions } from '@stockade/api';

/** Builds (does not listen) a Fastify-based Nest application serving the facades' routes and /docs (Swagger UI). */
export async function createHttpApp(dependencies: HttpApiDependencies, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(HttpApiModule.register(dependencies, options.version), stockadeHttpAdapter(options), {
    logger: options.logger ?? ['error', 'warn'],
    abortOnError: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

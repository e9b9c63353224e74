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
  /** Longest a client may take to send a request (default 30 s); slower gets 408. */
  readonly requestTimeoutMs?: number;
  readonly version?: string;
  /** Nest's own start-up logging; off in tests. */
  readonly logger?: false | ('error' | 'warn' | 'log')[];
}

/** The Fastify adapter every Stockade HTTP app uses: JSON up to `bodyLimitBytes`, NDJSON (batch checkouts) up to `batchBodyLimitBytes`; past them 413. */
export function stockadeHttpAdapter(bodyLimitBytes = 64 * 1024, batchBodyLimitBytes = 4 * 1024 * 1024, requestTimeoutMs = 30_000): FastifyAdapter {
  // requestTimeout: a client that never finishes sending (slow loris) is cut off instead of holding a socket forever.
  // Node enforces it when it checks its connections, every 30 s by default: often enough, here, to cut within the timeout.
  const connectionsCheckingInterval = Math.max(250, Math.min(5_000, Math.floor(requestTimeoutMs / 3)));
  // `http` (options of http.createServer) is passed through by Fastify 5; its typings only know it for http2.
  // Node applies the request timeout only when the headers timeout is not longer than it.
  const httpServerOptions: object = { http: { connectionsCheckingInterval, headersTimeout: Math.min(60_000, requestTimeoutMs) } };
  const adapter = new FastifyAdapter({ bodyLimit: bodyLimitBytes, requestTimeout: requestTimeoutMs, ...httpServerOptions });
  acceptNdjson(adapter.getInstance(), batchBodyLimitBytes);
  return adapter;
}

/** Builds (does not listen) a Fastify-based Nest application serving the facades' routes and /docs (Swagger UI). */
export async function createHttpApp(dependencies: HttpApiDependencies, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(HttpApiModule.register(dependencies, options.version), stockadeHttpAdapter(options.bodyLimitBytes, options.batchBodyLimitBytes, options.requestTimeoutMs), {
    logger: options.logger ?? ['error', 'warn'],
    abortOnError: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

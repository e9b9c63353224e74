import type { AddressInfo } from 'node:net';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { HttpShellModule, serveOwnOpenApiDocument, stockadeHttpAdapter } from '@stockade/api';
import type { Clock } from '@stockade/kernel';
import type { MessageBus } from '@stockade/messaging';
import { MessageBusServer } from '@stockade/nest-bus';
import type { StockadeConfig } from '../config';
import { accessPolicyOf, httpServerOptionsOf } from '../access-policy';
import { assertSafeToListen } from '../exposure';
import type { Logger } from '../logger';
import { StockadeMetrics } from '../metrics';
import { logHandlerFailures } from '../message-log-fields';
import { InfrastructureModule } from './infrastructure.module';
import { PartitionAssignments } from '../partition-assignments';
import type { Tracer } from '@opentelemetry/api';
import { traceHttpRequests } from '../tracing/http-spans';
import { PinoNestLogger } from './pino-nest-logger';

export interface StockadeAppOptions {
  readonly config: StockadeConfig;
  readonly logger: Logger;
  /** The service modules this app runs (one for a service alone, all three embedded). */
  readonly modules: readonly DynamicModule[];
  readonly bus: MessageBus;
  readonly clock?: Clock;
  readonly metrics?: StockadeMetrics;
  /** Tracing on (startTracing): HTTP requests, deliveries and the relays' publishes become spans. */
  readonly tracer?: Tracer;
  /** Serve the pages (/dashboard, /shop): the embedded runner does. */
  readonly pages?: boolean;
}

export interface StockadeApp {
  readonly url: string;
  readonly port: number;
  readonly metrics: StockadeMetrics;
  close(): Promise<void>;
}

@Module({})
class StockadeRootModule {}

/**
 * A hybrid Nest app: HTTP (Fastify) for the modules' controllers, and the MessageBusServer
 * transport for their `@EventPattern` handlers. Start order: modules initialise (stores open,
 * relays start), then the consumers subscribe, then HTTP listens. `close()` reverses it: HTTP and
 * consumers stop (in-flight handlers finish and commit), then each module flushes and closes its
 * store, and the bus closes last (it is the caller's: this function closes it on the way out).
 */
export async function startStockadeApp(options: StockadeAppOptions): Promise<StockadeApp> {
  const { config } = options;
  try {
    assertSafeToListen(config, (warning) => options.logger.warn(warning));
  } catch (error) {
    await options.bus.close();
    throw error;
  }
  const metrics = options.metrics ?? new StockadeMetrics({ watchedSkus: config.STOCKADE_METRICS_SKUS });
  const assignments = new PartitionAssignments();
  const server = new MessageBusServer(options.bus, {
    onHandlerFailure: logHandlerFailures(options.logger),
    onAssignment: (groupId, assignment) => assignments.tell(groupId, assignment),
    ...(options.tracer ? { tracer: options.tracer } : {}),
  });
  const root: DynamicModule = {
    module: StockadeRootModule,
    imports: [
      InfrastructureModule.forRoot({
        config,
        logger: options.logger,
        metrics,
        bus: options.bus,
        server,
        assignments,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.tracer ? { tracer: options.tracer } : {}),
      }),
      HttpShellModule.forRoot({
        access: accessPolicyOf(config),
        limits: { maxCheckoutsPerRequest: config.STOCKADE_MAX_CHECKOUTS_PER_REQUEST },
        metrics,
        countRefusal: (reason) => metrics.countHttpRefusal(reason),
        ...(options.pages ? { pages: true } : {}),
      }),
      ...options.modules,
    ],
  };
  const adapter = stockadeHttpAdapter(httpServerOptionsOf(config, () => metrics.countHttpRefusal('connection_cap')));
  if (options.tracer) traceHttpRequests(adapter.getInstance(), options.tracer);
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  // WebSocket gateways (the live stock socket) share the HTTP server's port.
  app.useWebSocketAdapter(new WsAdapter(app));
  try {
    // /docs/openapi.json: this app's own routes (a service alone its own, the embedded runner every one).
    serveOwnOpenApiDocument(app);
    await app.init();
    await app.startAllMicroservices();
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await app.close().catch(() => undefined);
    await options.bus.close();
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    metrics,
    close: () =>
      (closed ??= (async () => {
        await app.close();
        await options.bus.close();
      })()),
  };
}

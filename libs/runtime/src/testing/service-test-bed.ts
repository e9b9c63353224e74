import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpShellModule, serveOwnOpenApiDocument, stockadeHttpAdapter } from '@stockade/api';
import type { Clock } from '@stockade/kernel';
import { InMemoryMessageBus, IncomingMessage } from '@stockade/messaging';
import { MessageBusServer } from '@stockade/nest-bus';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { StockadeMetrics } from '../metrics';
import { InfrastructureModule } from '../nest/infrastructure.module';

export const TEST_OPERATOR_TOKEN = 'test-operator-token-Kq2Vx9Lm4RtZ8';

export interface ServiceTestBed {
  readonly bus: InMemoryMessageBus;
  /** The testing module's builder: override providers on it, then `start()`. */
  readonly builder: TestingModuleBuilder;
  /** Compiles, starts the hybrid app (HTTP through `app.inject`, bus handlers subscribed) and returns it. */
  start(): Promise<NestFastifyApplication>;
  /** The first message on `topic` (from its beginning) that `matches`, or a timeout error naming the topic. */
  nextMessage(
    topic: string,
    matches: (message: IncomingMessage) => boolean,
    timeoutMs?: number,
  ): Promise<IncomingMessage>;
  close(): Promise<void>;
}

/**
 * A service module under test the way Nest teams test: `Test.createTestingModule` with the shared
 * infrastructure on an in-memory bus and the modules given, so a spec overrides a provider (the
 * payment gateway, the clock, a store) with `testBed.builder.overrideProvider(TOKEN)`.
 */
export function serviceTestBed(
  modules: readonly DynamicModule[],
  options: { env?: Record<string, string>; clock?: Clock } = {},
): ServiceTestBed {
  const bus = new InMemoryMessageBus();
  const server = new MessageBusServer(bus);
  const config = loadConfig({
    STOCKADE_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
    STOCKADE_LOG_LEVEL: 'silent',
    STOCKADE_DATA_DIR: '/nonexistent-stockade-test',
    ...options.env,
  });
  const builder = Test.createTestingModule({
    imports: [
      InfrastructureModule.forRoot({
        config,
        logger: createLogger('silent'),
        metrics: new StockadeMetrics(),
        bus,
        server,
        ...(options.clock ? { clock: options.clock } : {}),
      }),
      HttpShellModule.forRoot({
        access: { operatorToken: TEST_OPERATOR_TOKEN },
        limits: { maxCheckoutsPerRequest: config.STOCKADE_MAX_CHECKOUTS_PER_REQUEST },
      }),
      ...modules,
    ],
  });
  let app: NestFastifyApplication | undefined;
  let readers = 0;
  return {
    bus,
    builder,
    start: async () => {
      const moduleRef = await builder.compile();
      const started = moduleRef.createNestApplication<NestFastifyApplication>(
        stockadeHttpAdapter({
          bodyLimitBytes: config.STOCKADE_BODY_LIMIT_BYTES,
          batchBodyLimitBytes: config.STOCKADE_BATCH_BODY_LIMIT_BYTES,
        }),
        { logger: false },
      );
      app = started;
      started.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
      serveOwnOpenApiDocument(started);
      await started.init();
      await started.startAllMicroservices();
      await started.getHttpAdapter().getInstance().ready();
      return started;
    },
    nextMessage: async (topic, matches, timeoutMs = 5_000) => {
      let found: (message: IncomingMessage) => void = () => undefined;
      const arrived = new Promise<IncomingMessage>((resolve) => (found = resolve));
      const reader = await bus.subscribe({
        groupId: `test-reader-${readers++}`,
        topics: [topic],
        handler: async (message) => void (matches(message) && found(message)),
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`)),
            timeoutMs,
          )),
      );
      try {
        return await Promise.race([arrived, timeout]);
      } finally {
        clearTimeout(timer);
        await reader.close();
      }
    },
    close: async () => {
      await app?.close();
      await bus.close();
    },
  };
}

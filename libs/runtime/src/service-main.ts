import { resolve } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { systemClock } from '@stockade/kernel';
import { ConfigurationError, loadConfig, StockadeConfig } from './config';
import { openMessageBus } from './infrastructure';
import { createLogger } from './logger';
import { preparePrivateDataDirectory, restrictNewFilesToOwner } from './private-data-directory';
import { runUntilSignalled } from './signals';
import { StockadeApp, startStockadeApp } from './nest/start-stockade-app';
import { startTracing } from './tracing/tracing';

export interface RunningService {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The body of every app's main.ts: load and check the configuration, start, serve until
 * SIGINT/SIGTERM. A configuration error prints only its message (which names the variable).
 */
export function runApp(label: string, start: (config: StockadeConfig) => Promise<RunningService>): void {
  restrictNewFilesToOwner();
  (async () => {
    const config = loadConfig();
    const running = await start(config);
    if (!config.STOCKADE_QUIET) console.log(`stockade ${label} listening on ${running.url}`);
    await runUntilSignalled(running.close, {
      timeoutMs: config.STOCKADE_SHUTDOWN_TIMEOUT_MS,
      ...(config.STOCKADE_QUIET ? { say: () => undefined } : {}),
    });
  })().catch((error: unknown) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exit(1);
  });
}

/**
 * One service as its own process, on the adapters the configuration names: its own event store
 * (SQLite file, PostgreSQL schema or KurrentDB) inside its module, the shared bus (a message log
 * file on one host, or Kafka) opened here, and the service's Nest module(s) in a hybrid app.
 */
export async function startServiceApp(
  config: StockadeConfig,
  name: string,
  modules: readonly DynamicModule[],
): Promise<StockadeApp> {
  const logger = createLogger(config.STOCKADE_LOG_LEVEL, `stockade-${name}`);
  if (config.STOCKADE_EVENT_STORE === 'sqlite' || config.STOCKADE_BUS === 'sqlite')
    preparePrivateDataDirectory(resolve(config.STOCKADE_DATA_DIR), logger);
  const bus = await openMessageBus(config, name, systemClock, logger);
  const tracing = startTracing({ serviceName: `stockade-${name}`, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  if (!tracing) return startStockadeApp({ config, logger, bus, modules });
  const app = await startStockadeApp({ config, logger, bus, modules, tracer: tracing.tracer }).catch(
    async (error: unknown) => {
      await tracing.shutdown();
      throw error;
    },
  );
  return {
    ...app,
    close: async () => {
      await app.close();
      await tracing.shutdown();
    },
  };
}

import { ConfigurationError, loadConfig } from './config';
import { runUntilSignalled } from './signals';
import type { RunningService } from './service-process';
import type { StockadeConfig } from './config';

/**
 * The body of every app's main.ts: load and check the configuration, start, serve until
 * SIGINT/SIGTERM. A configuration error prints only its message (which names the variable).
 */
export function runApp(label: string, start: (config: StockadeConfig) => Promise<RunningService>): void {
  (async () => {
    const config = loadConfig();
    const running = await start(config);
    if (!config.STOCKADE_QUIET) console.log(`stockade ${label} listening on ${running.url}`);
    await runUntilSignalled(running.close);
  })().catch((error: unknown) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exit(1);
  });
}

import { ConfigurationError, loadConfig, restrictNewFilesToOwner, runUntilSignalled } from '@stockade/runtime';
import { startEmbeddedSystem } from '@stockade/embedded';

/**
 * The embedded default: inventory, ordering and carts in one process, events in SQLite under
 * STOCKADE_DATA_DIR (./data), messages on a durable in-process bus in the same directory.
 */
async function main(): Promise<void> {
  restrictNewFilesToOwner();
  const config = loadConfig();
  const system = await startEmbeddedSystem(config);
  if (!config.STOCKADE_QUIET) {
    console.log(`Stockade (embedded) listening on ${system.url}`);
    console.log(`  shop:      ${system.url}/shop`);
    console.log(`  dashboard: ${system.url}/dashboard (sign in with the operator token)`);
    console.log(`  API docs:  ${system.url}/docs`);
    console.log(`  data dir:  ${system.dataDir}`);
    if (config.operatorTokenGenerated) {
      console.log(
        `  operator token (generated; set STOCKADE_OPERATOR_TOKEN to choose one): ${config.STOCKADE_OPERATOR_TOKEN}`,
      );
    }
  }
  await runUntilSignalled(system.close, {
    timeoutMs: config.STOCKADE_SHUTDOWN_TIMEOUT_MS,
    ...(config.STOCKADE_QUIET ? { say: () => undefined } : {}),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});

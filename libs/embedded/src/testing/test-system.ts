import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@stockade/runtime';
import { EmbeddedOverrides, startEmbeddedSystem } from '../embedded-system';
import { StockadeClient } from '../../../../tools/client/stockade-client';

export { OPERATOR_TOKEN } from '../../../../tools/client/child-process-system';
import { LOAD_LIMITS_OFF, OPERATOR_TOKEN } from '../../../../tools/client/child-process-system';

/**
 * An embedded Stockade on a free port with its own temporary data directory. Tests send many
 * requests from one address: rate limits and the connection cap are off unless `env` turns them
 * on (an empty string means the default, e.g. `{ STOCKADE_RATE_LIMIT_PER_SECOND: '' }`).
 */
export async function startTestSystem(env: Record<string, string> = {}, overrides: EmbeddedOverrides = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-e2e-'));
  const config = loadConfig({
    PORT: '0',
    STOCKADE_DATA_DIR: dataDir,
    STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN,
    STOCKADE_LOG_LEVEL: 'error',
    ...LOAD_LIMITS_OFF,
    ...env,
  });
  const system = await startEmbeddedSystem(config, overrides);
  return {
    system,
    dataDir,
    client: new StockadeClient(system.url, OPERATOR_TOKEN),
    stop: async () => {
      await system.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

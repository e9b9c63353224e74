import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Stockade's version, from the package.json of the checkout the CLI runs from: the nearest one
 * named `stockade` above this file (apps/cli/src from the sources, dist/apps/cli/src when built).
 */
export function stockadeVersion(from = __dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === 'stockade' && version) return version;
    }
    if (dirname(directory) === directory) return 'unknown';
  }
}

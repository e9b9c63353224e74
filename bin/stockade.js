#!/usr/bin/env node
// The `stockade` operator CLI: runs the built apps/cli (its main.ts; the CLI itself is libs/cli; npm run build writes dist/).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(built)) {
  process.stderr.write('stockade: the CLI is not built yet; run `npm run build` in the Stockade checkout first\n');
  process.exit(2);
}
require(built);

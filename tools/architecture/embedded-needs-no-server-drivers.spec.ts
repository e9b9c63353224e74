import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const RUNTIME = join(ROOT, 'dist', 'libs', 'runtime', 'src', 'index.js');
const EMBEDDED = join(ROOT, 'dist', 'libs', 'embedded', 'src', 'index.js');

/** Which of the server drivers a fresh Node process has loaded after requiring `file`. */
function driversLoadedBy(file: string): string[] {
  const script = `
    require(${JSON.stringify(file)});
    const drivers = Object.keys(require.cache)
      .map((path) => /node_modules\\/(kafkajs|pg|ioredis|@kurrent)\\//.exec(path)?.[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(drivers)].sort()));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

describe('what the embedded runner loads', () => {
  beforeAll(() => {
    for (const file of [RUNTIME, EMBEDDED])
      if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
  });

  it('given the runtime library every app imports, when it is loaded, then no server driver (kafkajs, pg, ioredis, KurrentDB) comes with it', () => {
    // Each is imported where a distributed deployment asks for it; loading them all cost the
    // embedded start about 0.4 s for nothing.
    expect(driversLoadedBy(RUNTIME)).toEqual([]);
  });

  it('given the embedded runner with its three service modules and the Nest transport, when it is loaded, then no server driver comes with it', () => {
    expect(driversLoadedBy(EMBEDDED)).toEqual([]);
  });

  it('given the same check, when a driver is loaded after all, then it would be reported (the check can fail)', () => {
    expect(driversLoadedBy(join(ROOT, 'node_modules', 'kafkajs'))).toEqual(['kafkajs']);
  });
});

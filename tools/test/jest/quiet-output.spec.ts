import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(60_000);

const REPOSITORY = join(__dirname, '..', '..', '..');

/** Runs Jest, configured as this repository's is (quiet environment and reporter), on the given spec files; its whole output. */
function jestOn(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'quiet-output-'));
  try {
    writeFileSync(
      join(dir, 'jest.config.js'),
      `module.exports = ${JSON.stringify({
        rootDir: dir,
        testEnvironment: join(__dirname, 'quiet-environment.js'),
        reporters: [join(__dirname, 'quiet-reporter.js'), 'summary'],
        testMatch: ['<rootDir>/*.check.js'],
      })};`,
    );
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    const run = spawnSync(
      process.execPath,
      [
        join(REPOSITORY, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--config',
        join(dir, 'jest.config.js'),
        '--ci',
        '--maxWorkers=2',
      ],
      {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, STOCKADE_TEST_LOG_DIR: '' },
      },
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A test that prints the way the suites here do: console, a JSON log line written straight to fd 1 (pino), and process.stdout. */
const printing = (name: string, marker: string, passes: boolean) => `
  it(${JSON.stringify(name)}, async () => {
    console.error('console ${marker}');
    require('fs').writeSync(1, '{"level":"ERROR","message":"fd ${marker}"}\\n');
    process.stdout.write('stdout ${marker}\\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(${passes ? 1 : 2}).toBe(1);
  });`;

describe('the quiet reporter and environment (tools/test/jest)', () => {
  it('given files whose tests print and pass, then the run prints a PASS line per file and the summary, none of what they printed', () => {
    const { status, output } = jestOn({
      'one.check.js': `beforeAll(() => console.log('setup of one'));\n${printing('first passes', 'P1', true)}`,
      'two.check.js': printing('second passes', 'P2', true),
    });

    expect(status).toBe(0);
    expect(output).toMatch(/PASS .*one\.check\.js/);
    expect(output).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(output).not.toMatch(/P1|P2|setup of one|console\.|"level"/);
  });

  it('given a file with a passing and a failing test that both print, then the failure shows what the failing test printed (console, fd 1, stdout) and what the file printed outside its tests, and nothing of the passing test', () => {
    const { status, output } = jestOn({
      'mixed.check.js': `beforeAll(() => console.log('setup of mixed'));\ndescribe('group', () => {${printing('passes', 'PASSING', true)}${printing('fails', 'FAILING', false)}\n});`,
    });

    expect(status).toBe(1);
    expect(output).toContain('── group fails');
    for (const line of [
      'console FAILING',
      '{"level":"ERROR","message":"fd FAILING"}',
      'stdout FAILING',
      'setup of mixed',
    ])
      expect(output).toContain(line);
    expect(output).not.toContain('PASSING');
  });
});

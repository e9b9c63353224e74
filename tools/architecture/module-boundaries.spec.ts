import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The boundaries between projects are ESLint's @nx/enforce-module-boundaries over the tags in each
 * project.json (eslint.config.mjs, docs/adr/0030-workspace-rules.md). These tests plant a violation
 * in a real library and run ESLint as CI does, so a rule switched off or a graph ESLint cannot read
 * (the rule then skips itself with a warning) fails here.
 */
const ROOT = join(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const RULE = '@nx/enforce-module-boundaries';

interface Message {
  readonly ruleId: string | null;
  readonly message: string;
}

/** ESLint's findings for one file, from the command line CI runs (options: extra arguments). */
function lint(file: string, options: string[] = []): Message[] {
  const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...options, relative(ROOT, file)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (run.stdout.trim() === '') throw new Error(`eslint printed nothing (status ${run.status}): ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: Message[] }[];
  return result?.messages ?? [];
}

/** Runs `check` with a file of `source` inside `dir` (a project's folder), removed afterwards. */
function withPlantedFile<T>(dir: string, source: string, check: (file: string) => T): T {
  const folder = mkdtempSync(join(ROOT, dir, 'planted-'));
  const file = join(folder, 'planted.ts');
  try {
    writeFileSync(file, source);
    return check(file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

interface Project {
  readonly file: string;
  readonly projectType?: string;
  readonly tags: readonly string[];
}

function projects(dir: string): Project[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const child = join(dir, entry.name);
    const nested = projects(child);
    try {
      const project = JSON.parse(readFileSync(join(ROOT, child, 'project.json'), 'utf8')) as Omit<Project, 'file'>;
      return [
        { file: join(child, 'project.json'), projectType: project.projectType, tags: project.tags ?? [] },
        ...nested,
      ];
    } catch {
      return nested;
    }
  });
}

describe('the module boundaries between projects', () => {
  // Each ESLint run reads the Nx project graph (tools/nx keeps it current when nx runs first).
  beforeAll(() => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      },
    );
    if (run.status !== 0) throw new Error(`nx show projects failed: ${run.stderr}`);
  }, 120_000);

  it('given an ordering library importing the inventory context, then ESLint reports the boundary', () => {
    const messages = withPlantedFile(
      'libs/ordering/domain/src',
      "import { stockStatus } from '@stockade/inventory-domain';\nexport const planted = stockStatus;\n",
      (file) => lint(file),
    );
    expect(messages.filter((message) => message.ruleId === RULE).map((message) => message.message)).toEqual([
      expect.stringMatching(
        /tagged with "scope:ordering" can only depend on libs tagged with "scope:ordering", "scope:shared"/,
      ),
    ]);
  }, 120_000);

  it('given a library importing an app, then ESLint reports it: nothing imports an app', () => {
    const messages = withPlantedFile(
      'libs/kernel/src',
      "import * as app from '../../../../apps/stockade/src/main';\nexport const planted = app;\n",
      (file) => lint(file),
    );
    expect(messages.filter((message) => message.ruleId === RULE)).not.toEqual([]);
  }, 120_000);

  it('given the same file without the import, then it passes', () => {
    const messages = withPlantedFile('libs/ordering/domain/src', 'export const planted = 1;\n', (file) => lint(file));
    expect(messages).toEqual([]);
  }, 120_000);

  it('given the boundary rule switched off, then the planted import passes: the reports above are that rule', () => {
    const messages = withPlantedFile(
      'libs/ordering/domain/src',
      "import { stockStatus } from '@stockade/inventory-domain';\nexport const planted = stockStatus;\n",
      (file) => lint(file, ['--rule', JSON.stringify({ [RULE]: 'off' })]),
    );
    expect(messages).toEqual([]);
  }, 120_000);
});

describe('the tags the boundary rule reads', () => {
  const all = projects('.');
  const config = readFileSync(join(ROOT, 'eslint.config.mjs'), 'utf8');

  it('given every project, then it has one scope tag and one layer tag, each one the rules know', () => {
    const untagged = all.filter(
      (project) =>
        project.tags.filter((tag) => tag.startsWith('scope:')).length !== 1 ||
        project.tags.filter((tag) => tag.startsWith('layer:')).length !== 1,
    );
    expect(untagged.map((project) => project.file)).toEqual([]);
    const known = (tag: string) =>
      ['scope:app', 'scope:tools', 'layer:app', 'layer:tooling'].includes(tag) || config.includes(`'${tag}'`);
    expect(
      all.flatMap((project) => project.tags.filter((tag) => !known(tag)).map((tag) => `${project.file}: ${tag}`)),
    ).toEqual([]);
  });

  it('given every app, then it is tagged type:app, the tag nothing may depend on', () => {
    const apps = all.filter((project) => project.projectType === 'application');
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.filter((project) => !project.tags.includes('type:app')).map((project) => project.file)).toEqual([]);
  });
});

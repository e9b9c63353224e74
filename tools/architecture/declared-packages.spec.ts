import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importedPackages, undeclaredImports } from './declared-packages';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]);
const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const ALIASES = Object.keys(tsconfig.compilerOptions.paths);

/**
 * Declared packages no source imports: tools run by name (a binary, a preset, a type package),
 * each for a reason, so an unused library cannot hide among them.
 */
const RUN_NOT_IMPORTED: Record<string, string> = {
  jest: 'the test runner',
  'ts-jest': "jest.preset.js's transform",
  nx: 'the workspace (project graph, module boundaries)',
  'tsc-alias': 'npm run build rewrites the path aliases',
  '@types/node': 'types',
  '@types/jest': 'types',
  eslint: 'npm run lint',
  '@eslint/js': 'eslint.config.mjs',
  '@nx/eslint-plugin': 'eslint.config.mjs (module boundaries)',
  'eslint-config-prettier': 'eslint.config.mjs',
  globals: 'eslint.config.mjs',
  'typescript-eslint': 'eslint.config.mjs',
  prettier: 'npm run format',
  'swagger-ui-dist': 'served as files by the docs controller (require.resolve, never loaded)',
};

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(c|m)?(t|j)s$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = new Map(
  [
    ...['libs', 'apps', 'tools', 'bin'].flatMap((folder) => sourceFiles(join(ROOT, folder))),
    ...['jest.config.js', 'jest.preset.js'].map((file) => join(ROOT, file)),
  ].map((path) => [relative(ROOT, path), readFileSync(path, 'utf8')]),
);

describe('the packages the code uses', () => {
  it('given every source file of libs, apps, tools and bin, then each package it imports is declared in package.json', () => {
    expect(undeclaredImports(files, declared, ALIASES)).toEqual([]);
  });

  it('given a file that imports a package only a dependency brought in, then it is named', () => {
    const planted = new Map([
      [
        'libs/planted.ts',
        "import { W3CTraceContextPropagator } from '@opentelemetry/core';\nimport type { FastifyInstance } from 'fastify';\nconst z = require('abstract-logging');",
      ],
    ]);
    expect(undeclaredImports(planted, new Set(['@opentelemetry/core']), ALIASES)).toEqual([
      'libs/planted.ts imports abstract-logging',
      'libs/planted.ts imports fastify',
    ]);
  });

  it('given package.json, then every package it declares is imported somewhere, or is a tool run by name', () => {
    const used = new Set([...files.values()].flatMap((source) => [...importedPackages(source, ALIASES)]));
    // A package's types (@types/ws) are used where the package (ws) is.
    const typesUsed = (name: string) => name.startsWith('@types/') && used.has(name.slice('@types/'.length));
    const unused = [...declared].filter((name) => !used.has(name) && !typesUsed(name) && !(name in RUN_NOT_IMPORTED));
    expect(unused).toEqual([]);
  });
});

// The workspace's rules (docs/adr/0030-workspace-rules.md): typescript-eslint's recommended rules,
// and @nx/enforce-module-boundaries, which reads each project's tags (project.json) and the Nx
// project graph, so a new project is checked as soon as it has a project.json with its tags.
// Formatting is Prettier's (eslint-config-prettier turns off the rules it owns).
import eslint from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which projects a project may import, by tag. Every constraint whose source tag a project carries
 * applies, so a library is held by its scope and by its layer at once.
 * - Nothing imports an app: an app is a main.ts that composes libraries for one deployment.
 * - A bounded context (scope:inventory, scope:ordering, scope:cart) imports itself and the shared
 *   libraries; contexts talk through contracts, never through each other's code.
 * - Shared libraries know no context by name.
 * - The operator side (scope:operations) reads every context: it is the one place that may.
 * - scope:composition: libraries that assemble the contexts into one deployment (the embedded
 *   runner, the gateway, the CLI), so that an app stays a main.ts.
 * - Layers point inwards: the domain imports only the domain; application services see ports.
 * Which packages and entry points each layer may import (NestJS, drivers, adapters) is checked
 * by tools/architecture/layering.spec.ts.
 */
const SCOPES = {
  'scope:shared': ['scope:shared'],
  'scope:inventory': ['scope:inventory', 'scope:shared'],
  'scope:ordering': ['scope:ordering', 'scope:shared'],
  'scope:cart': ['scope:cart', 'scope:shared'],
  'scope:operations': ['scope:operations', 'scope:inventory', 'scope:ordering', 'scope:cart', 'scope:shared'],
  'scope:composition': [
    'scope:composition',
    'scope:operations',
    'scope:inventory',
    'scope:ordering',
    'scope:cart',
    'scope:shared',
  ],
};
const LAYERS = {
  'layer:domain': ['layer:domain'],
  'layer:application': ['layer:domain', 'layer:application', 'layer:infrastructure'],
  'layer:infrastructure': ['layer:domain', 'layer:application', 'layer:infrastructure'],
  'layer:shell': ['layer:domain', 'layer:application', 'layer:infrastructure', 'layer:shell'],
  // A context's Nest layer (module, controllers, lifecycle) on the shared shell.
  'layer:nest': ['layer:domain', 'layer:application', 'layer:infrastructure', 'layer:shell', 'layer:nest'],
  // An HTTP client of Stockade (the CLI): contracts and ports, no server framework.
  'layer:client': ['layer:domain', 'layer:application', 'layer:infrastructure', 'layer:client'],
  // A deployment's assembly (embedded runner, gateway): everything below it.
  'layer:composition': [
    'layer:domain',
    'layer:application',
    'layer:infrastructure',
    'layer:shell',
    'layer:nest',
    'layer:client',
    'layer:composition',
  ],
};

/** Tests and test fixtures may also use the test harness in tools (tools/client: processes, clients). */
function depConstraints({ testCode }) {
  const withTools = (tags) => (testCode ? [...tags, 'scope:tools'] : tags);
  return [
    { sourceTag: '*', notDependOnLibsWithTags: ['type:app'] },
    // An app's main.ts composes libraries, never the test harness (checked on its direct imports:
    // a library's own specs use tools, so the harness is in every app's transitive graph).
    ...(testCode ? [] : [{ sourceTag: 'type:app', onlyDependOnLibsWithTags: Object.keys(SCOPES) }]),
    { sourceTag: 'scope:tools', notDependOnLibsWithTags: ['type:app'] },
    ...Object.entries(SCOPES).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: withTools(tags) })),
    ...Object.entries(LAYERS).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: withTools(tags) })),
  ];
}

const PACKAGE_JSON = '^(\\.\\./)+package\\.json$';
/**
 * The harness (tools/client: processes, clients; tools/browser) is a project of its own, so a
 * library's specs that use it do not tie the library to the rest of tools (a cycle, tools importing
 * libraries). It has no alias: tools reach it as `../client/`, tests as `../../tools/client/`.
 */
const HARNESS_FROM_TOOLS = '^(\\.\\./)+(client|browser)/';
const HARNESS_FROM_TESTS = '^(\\.\\./)+tools/(client|browser)/';

const boundaries = (testCode) => [
  'error',
  {
    // One build of the whole tree (tsconfig.build.json), so no library is built on its own.
    enforceBuildableLibDependency: false,
    // The version the documents and the CLI print, from the root package.json (the workspace project);
    // the harness, from tools and from tests.
    allow: testCode ? [PACKAGE_JSON, HARNESS_FROM_TOOLS, HARNESS_FROM_TESTS] : [PACKAGE_JSON, HARNESS_FROM_TOOLS],
    // The server drivers' adapters are imported lazily where a deployment asks for them (ADR 0019),
    // and their ports statically: one project, two entry points, on purpose.
    checkDynamicDependenciesExceptions: ['messaging', 'event-store', 'redis'],
    depConstraints: depConstraints({ testCode }),
  },
];

const TEST_CODE = ['**/*.spec.ts', '**/testing/**', '**/*.fixture.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      'dist/',
      'coverage/',
      'data/',
      'tmp/',
      '.nx/',
      'tools/kafka/.cache/',
      'tools/distributed/.run/',
      'tools/test/.run/',
    ],
  },
  ...nx.configs['flat/base'],
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      // `_name` says "received and deliberately unused" (a port's full signature, a tuple's head).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    rules: {
      // A `let` read by a closure before it is assigned (a callback wired up before its target) must stay a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Stripping control characters from what reaches a terminal (libs/kernel/src/terminal-text.ts)
      // is done with a regular expression of control characters, on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: TEST_CODE,
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      // A test reads a response body it has just asserted the shape of.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Node scripts and Jest configuration, in CommonJS.
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['libs/api/web/**'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // `const crypto = require('node:crypto')` is the module, not a clash with the global of that name.
      'no-redeclare': ['error', { builtinGlobals: false }],
    },
  },
  {
    // The pages' modules run in the browser.
    files: ['libs/api/web/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  prettier,
);

// A local Nx plugin (nx.json "plugins"): every project with a project.json gets its `lint`, `test`
// (when it has specs) and `serve` (when it has a src/main.ts) targets from here, so a new project
// needs only its project.json (name and tags).
// A project.json may still declare a target of the same name; its settings win.
const { existsSync, readFileSync, readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** The one build of the whole tree (tsconfig.build.json), the root project.json's target. */
const BUILD = { projects: ['workspace'], target: 'build' };

/**
 * Tests that start the built apps as processes or read dist/ run against the build, so they
 * depend on it. Recognised by what their specs import or mention (the process harness, dist/).
 */
const USES_BUILD =
  /\bdist\/|['"]dist['"]|child-process-system|distributed-stack|chaos-run|start-local\.sh|holding-consumer-process/;

/** The spec files of a project, without descending into nested projects or installed packages. */
function specFiles(dir, isRoot = true) {
  if (!isRoot && existsSync(join(dir, 'project.json'))) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : specFiles(full, false);
    return entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

function targetsFor(root, workspaceRoot) {
  const specs = specFiles(join(workspaceRoot, root));
  const name = JSON.parse(readFileSync(join(workspaceRoot, root, 'project.json'), 'utf8')).name;
  const usesBuild = specs.some((file) => USES_BUILD.test(readFileSync(file, 'utf8')));
  const targets = {
    lint: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: ['default', '^default', '{workspaceRoot}/eslint.config.mjs'],
      options: { command: `eslint --max-warnings 0 ${root}` },
    },
  };
  if (existsSync(join(workspaceRoot, root, 'src', 'main.ts'))) {
    // An app's main.ts, compiled by the one build to the same place under dist/.
    targets.serve = {
      executor: 'nx:run-commands',
      dependsOn: [BUILD],
      options: { command: `node dist/${root}/src/main.js` },
    };
  }
  if (specs.length > 0) {
    targets.test = {
      executor: 'nx:run-commands',
      cache: true,
      // A test that runs the built apps ran against every source the build read; with those among its
      // inputs, `nx affected` also reaches it when any of them changes (an app's main.ts included).
      inputs: usesBuild ? ['default', '^default', 'buildSources'] : ['default', '^default'],
      dependsOn: usesBuild ? [BUILD] : [],
      options: { command: `jest --selectProjects ${name}` },
    };
  }
  return targets;
}

exports.name = 'stockade/project-targets';

exports.createNodesV2 = [
  '**/project.json',
  async (files, _options, context) =>
    files
      .map((file) => [file, dirname(file)])
      .filter(([, root]) => root !== '.')
      .map(([file, root]) => {
        const project = { root, targets: targetsFor(root, context.workspaceRoot) };
        return [file, { projects: { [root]: project } }];
      }),
];

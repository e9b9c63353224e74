// One Jest run over every Nx project: each folder with a project.json is a Jest project,
// so `npm test` and `nx test <project>` (which selects one) see the same configuration.
const fs = require('fs');
const path = require('path');
const preset = require('./jest.preset');

function findProjects(dir) {
  if (!fs.existsSync(dir)) return [];
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'node_modules');
  return entries.flatMap((e) => {
    const full = path.join(dir, e.name);
    return fs.existsSync(path.join(full, 'project.json')) ? [full] : findProjects(full);
  });
}

module.exports = {
  // A passing test prints nothing but its file's PASS line; a failing one shows what it printed.
  reporters: [path.join(__dirname, 'tools', 'test', 'jest', 'quiet-reporter.js'), 'summary'],
  // Jest's 5 s default is a unit test's budget. Here tests start Nest apps, write to PostgreSQL and
  // Kafka, and run two at a time on two cores (tools/test/run-tests.sh): a few passing ones took 5 to
  // 7 s in a loaded npm test. A global option: Jest ignores it (with a warning) in a project's config.
  testTimeout: 30_000,
  projects: [
    ...findProjects(path.join(__dirname, 'libs')),
    ...findProjects(path.join(__dirname, 'apps')),
    path.join(__dirname, 'tools'),
  ]
    .filter((dir) => fs.existsSync(path.join(dir, 'project.json')))
    .map((dir) => ({
      ...preset,
      displayName: JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8')).name,
      rootDir: dir,
    })),
};

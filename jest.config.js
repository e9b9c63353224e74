// One Jest run over every Nx project: each folder with a project.json is a Jest project,
// so `npm test` and `nx test <project>` (which selects one) see the same configuration.
const fs = require('fs');
const path = require('path');
const preset = require('./jest.preset');

function findProjects(dir) {
  if (!fs.existsSync(dir)) return [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'node_modules');
  return entries.flatMap((e) => {
    const full = path.join(dir, e.name);
    return fs.existsSync(path.join(full, 'project.json')) ? [full] : findProjects(full);
  });
}

module.exports = {
  // A passing test prints nothing but its file's PASS line; a failing one shows what it printed.
  reporters: [path.join(__dirname, 'tools', 'test', 'jest', 'quiet-reporter.js'), 'summary'],
  projects: [...findProjects(path.join(__dirname, 'libs')), ...findProjects(path.join(__dirname, 'apps')), path.join(__dirname, 'tools')]
    .filter((dir) => fs.existsSync(path.join(dir, 'project.json')))
    .map((dir) => ({
      ...preset,
      displayName: JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8')).name,
      rootDir: dir,
    })),
};

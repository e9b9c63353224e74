// Shared Jest settings for every project. ts-jest transpiles only (isolatedModules):
// type errors are caught once by `npm run typecheck`, not once per test file.
const path = require('path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  // Node's environment, holding back what a test prints unless the test fails (tools/test/jest).
  testEnvironment: path.join(__dirname, 'tools', 'test', 'jest', 'quiet-environment.js'),
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // The fault harness (a minute of load and faults, on servers of its own) runs when asked for:
  // `npm test` does (tools/test/run-tests.sh sets STOCKADE_CHAOS=1).
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.STOCKADE_CHAOS === '1' ? [] : ['/tools/chaos/chaos\\.int\\.spec\\.ts$']),
  ],
};

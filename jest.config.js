// `unit` needs no servers; `integration` talks to the real stack (scripts/stack.sh up);
// `reliability` injects faults into that stack and runs on its own (see package.json).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/[^/]+/dist/', '<rootDir>/.cache/'],
  // type checking is `npm run lint`'s job (tsc --noEmit); tests only transpile
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,apps}/**/src/**/*.spec.ts', '<rootDir>/test/docs/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int-spec.ts', '<rootDir>/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/.cache/'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
    {
      // faults on shared servers (stopping the local Kafka, signals): run alone, in band
      ...shared,
      displayName: 'reliability',
      testMatch: ['<rootDir>/**/*.reliability-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/.cache/'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
  ],
};

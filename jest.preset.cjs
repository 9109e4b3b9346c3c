// Shared jest settings: @swc/jest strips types (the typecheck target checks
// them), and the @hello-es/* path aliases resolve to the libs' sources.
const path = require('node:path');

module.exports = {
  // node's environment, failing a test file that leaves a server or spawned app open.
  testEnvironment: path.join(__dirname, 'libs/test-support/src/leak-checking-environment.cjs'),
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    '^@hello-es/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    '^@hello-es/eventlog/testing$': path.join(__dirname, 'apps/eventlog/src/testing/index.ts'),
    '^@hello-es/reducer-runtime/testing$': path.join(__dirname, 'libs/reducer-runtime/src/testing/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 30_000,
  // Anything else left open (a client, a timer) is reported after 5 s instead of hanging.
  openHandlesTimeout: 5_000,
};

import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (no "exports" map); Vite would pick index.mjs.
    // Two copies of graphql in one process break schema checks, so both must load the same file.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/harness/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites spawn etcd and servers; two cores cannot run many at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites spawn etcd and servers; two cores cannot run many at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});

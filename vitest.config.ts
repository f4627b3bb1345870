import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The compiled build's test has its own run (npm run test:build, vitest.build.config.ts).
    exclude: [...configDefaults.exclude, 'test/build/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real services: a flaky failure is a bug to fix, not to retry away.
    retry: 0,
  },
});

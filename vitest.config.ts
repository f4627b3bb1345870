import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit tests that boot nothing (no database, Redis or app): their project has no global setup, so
 * running only them starts no FerretDB.
 */
const UNIT_TESTS = ['test/pipeline/engine/stages/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real services: a flaky failure is a bug to fix, not to retry away.
    retry: 0,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TESTS, isolate: false } },
      {
        extends: true,
        test: {
          name: 'services',
          include: ['test/**/*.test.ts'],
          // The compiled build's test has its own run (npm run test:build, vitest.build.config.ts).
          exclude: [...configDefaults.exclude, 'test/build/**', ...UNIT_TESTS],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});

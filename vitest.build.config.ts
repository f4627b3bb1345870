import { defineConfig } from 'vitest/config';

/** `npm run test:build`: the compiled build's own test, kept out of `npm test` for its build time. */
export default defineConfig({
  test: {
    include: ['test/build/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    // tsc and the console build take minutes on 2 shared cores.
    hookTimeout: 1_200_000,
    retry: 0,
  },
});

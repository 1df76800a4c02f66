import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two-core CI machines: CLI tests spawn worker processes of their own.
    maxWorkers: 2,
    minWorkers: 1,
  },
});

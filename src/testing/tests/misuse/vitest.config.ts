// Runs the misuse files, each a mistake a project can make with the kit, so
// kit.misuse.process.test.ts can check the message each one gets. Not part of npm test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/testing/tests/misuse/*.misuse.ts'],
    globalSetup: ['src/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 10_000,
  },
});

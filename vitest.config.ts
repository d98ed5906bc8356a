import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'prototypes/**/*.test.ts'],
    // Starts PostgreSQL (embedded unless DATABASE_URL is set) and migrates the template once.
    globalSetup: ['src/e2e/global-setup.ts'],
    reporters: ['default', './scripts/verdict-reporter.ts'],
    pool: 'forks',
    // The kit's aroundEach hook is registered when a file imports its fixtures:
    // that needs every file to get a fresh module graph (Vitest's default).
    isolate: true,
    testTimeout: 15_000,
    hookTimeout: 30_000,
    // A committed .only fails the run everywhere, not only when CI=true.
    allowOnly: false,
  },
});

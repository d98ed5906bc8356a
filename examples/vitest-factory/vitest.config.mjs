// #region config
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.mjs'],
    // Starts PostgreSQL (embedded, or the server in process.env.DATABASE_URL), migrates and seeds the template once.
    globalSetup: ['test/global-setup.mjs'],
    pool: 'forks',
    // One module graph per worker: Express, Sequelize and the app load once, and the kit
    // calls the app's factory once per worker (connect in test/fixtures.mjs) for all its files.
    isolate: false,
    // The fixtures module is imported once per worker, so its import registers the kit's
    // aroundEach hook in the first file only; the setup entry registers it in every file.
    setupFiles: ['sequelize-shared-session/vitest-setup'],
    // Fewer workers than test files: some files share a worker and its module graph.
    maxWorkers: 2,
  },
});
// #endregion config

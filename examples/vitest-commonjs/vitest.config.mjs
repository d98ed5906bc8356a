// #region config
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.mjs'],
    // Starts PostgreSQL (embedded, or the server in process.env.DATABASE_URL), migrates and seeds the template once.
    globalSetup: ['test/global-setup.mjs'],
    // A fresh process per file (Vitest's defaults): the app's singleton and the kit's hook are per file.
    pool: 'forks',
    isolate: true,
  },
});
// #endregion config

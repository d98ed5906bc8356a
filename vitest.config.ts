import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'prototypes/**/*.test.ts'],
    // Tests that start processes or whole runs (a PostgreSQL cluster, a child
    // Vitest, npm start, a run's global setup) have their own command,
    // `npm run test:processes` (vitest.processes.config.ts), which CI runs too:
    // they spend most of their time starting processes, not testing the app.
    exclude: [...configDefaults.exclude, '**/*.process.test.ts'],
    // Starts PostgreSQL (embedded unless DATABASE_URL is set) and migrates the template once.
    globalSetup: ['src/e2e/global-setup.ts'],
    reporters: ['default', './scripts/verdict-reporter.ts'],
    pool: 'forks',
    // Vitest's default is one worker per core less one, on 2 cores a single worker. Many
    // files wait on child processes and PostgreSQL, so more workers than cores pay:
    // measured on this 2-core machine, 61 s with 1 worker, 40 s with 2, 34 s with 3, 38 s with 4.
    maxWorkers: 3,
    // One module graph per worker: files stop re-importing Express, Sequelize
    // and the app. The kit's setup file registers its aroundEach hook in every
    // file (the fixtures module itself is imported only once per worker).
    isolate: false,
    setupFiles: ['src/testing/vitest-setup.ts'],
    // #region async-context-frame
    // The AsyncLocalStorage that carries each test's transaction makes Node 20 run a hook on
    // every promise the worker creates, Vitest's own included. Node 22.7 and later can carry
    // the context without it (--experimental-async-context-frame, the default from Node 24):
    // docs/benchmarks.md measures what that saves. Node 20 has no such flag; nothing is passed there.
    execArgv: process.allowedNodeEnvironmentFlags.has('--experimental-async-context-frame') ? ['--experimental-async-context-frame'] : [],
    // #endregion async-context-frame
    // Keeps transformed modules on disk between runs (node_modules/.experimental-vitest-cache,
    // keyed by file content): a warm run's workers start about 0.4 s sooner.
    experimental: { fsModuleCache: true },
    testTimeout: 15_000,
    hookTimeout: 30_000,
    // A committed .only fails the run everywhere, not only when CI=true.
    allowOnly: false,
  },
});

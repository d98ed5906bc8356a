// ci.sh runs it: the same files in ONE module graph (isolate: false) and one worker, so the
// app's singleton, built by the first file's connect, serves every later file: the kit builds
// itself once per worker and closes the singleton when the worker ends, not after each file.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default defineConfig({
  test: {
    ...base.test,
    isolate: false,
    // The kit's setup entry registers its aroundEach hook in every file (the fixtures module is
    // imported once per worker); the probe records which file of the worker each test ran in.
    setupFiles: ['sequelize-shared-session/vitest-setup', 'test/worker-probe.mjs'],
    maxWorkers: 1,
  },
});

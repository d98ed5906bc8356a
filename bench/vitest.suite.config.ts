// Vitest config for the workload suite that `npm run bench` generates into
// .tmp/bench-suite/: the repository's settings (global setup, forks pool,
// isolation), pointed at those files only.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.ts';

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    ...base.test,
    include: ['.tmp/bench-suite/**/*.test.ts'],
  },
});

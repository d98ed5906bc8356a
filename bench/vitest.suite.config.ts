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
    // `--also-node` runs the suite on that Node with the config's worker flags and once more without
    // them, to tell what --experimental-async-context-frame saves from what the newer Node does.
    execArgv: process.env.BENCH_NO_EXEC_ARGV ? [] : base.test?.execArgv,
  },
});

import { configDefaults, defineConfig } from 'vitest/config';
import suite from './vitest.config.ts';

// `npm run test:processes`: the tests that start processes or whole runs
// (*.process.test.ts): Ctrl-C and kill -9 of a runner, the exit status, a port
// taken mid-start, misuse run in a child Vitest, `npm start` refusing bad
// configuration, a run's global setup beside another run's. Same server, hooks
// and setup as `npm test` (spread, not mergeConfig, which would append to
// include and exclude); CI runs both.
export default defineConfig({
  ...suite,
  test: {
    ...suite.test,
    // The same folders as npm test, so no *.process.test.ts falls between the two commands.
    include: (suite.test?.include ?? []).map((pattern) => pattern.replace(/\*\.test\.ts$/, '*.process.test.ts')),
    exclude: configDefaults.exclude,
  },
});

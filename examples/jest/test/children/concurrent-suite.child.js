// Run by child-runs.test.js: a concurrent test inside a suite-scoped block is refused when it is registered.
const { useSuiteTransaction } = require('sequelize-shared-session/jest');

describe('a suite-scoped block', () => {
  useSuiteTransaction();
  test.concurrent('two', async () => undefined);
});

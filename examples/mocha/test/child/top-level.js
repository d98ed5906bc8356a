// Run by child-runs.test.js only: useSuiteTransaction() at the top of a file, outside any describe.
const { useSuiteTransaction } = require('../kit');

useSuiteTransaction();

it('never runs', () => {});

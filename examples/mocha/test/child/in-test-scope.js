// Run by child-runs.test.js only: chained.test.js in test scope (its useSuiteTransaction() calls do nothing).
const kit = require('../kit');

kit.useSuiteTransaction = () => {};
require('../chained.test.js');

'use strict';
// Run by child-runs.test.js only: suite-scope.test.js's blocks in test scope
// (`{ suiteTransaction: false }`, the default), where they fail.
const kit = require('../kit');

const { describe } = kit;
kit.describe = (name, options, fn) => describe(name, { ...options, suiteTransaction: false }, fn);
require('../suite-scope.test.js');

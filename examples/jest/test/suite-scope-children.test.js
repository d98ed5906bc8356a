// Runs a child Jest over the suite-scope children (test/children/*.child.js): the blocks of
// suite-scope.test.js in test scope, a suite-scoped block whose beforeAll fails, and a
// concurrent test in a suite-scoped block.
const { runChildJest } = require('./run-children');

let report;

beforeAll(async () => {
  report = await runChildJest((project) => [project('test-scope'), project('suite-failures'), project('concurrent-suite')]);
}, 70_000);

// eslint-disable-next-line no-control-regex -- the colours of Jest's diff
const ANSI_COLOURS = /\u001b\[\d+m/g;
const file = (name) => report.testResults.find((r) => r.name.endsWith(`${name}.child.js`));

// #region test-scope
// The blocks of suite-scope.test.js without useSuiteTransaction(): in test scope they fail.
test('in test scope, the chained block\'s second test does not see what the first created', () => {
  const chained = file('test-scope').assertionResults.filter((a) => a.ancestorTitles[0] === 'a chained block in test scope');
  expect(chained.map((a) => a.status)).toEqual(['passed', 'failed']);
  // expect(received).toEqual(expected): - Array [ "chained" ] + Array []
  expect(chained[1].failureMessages.join('\n').replace(ANSI_COLOURS, '')).toMatch(/-\s+"chained",[\s\S]*\+ Array \[\]/);
});

test('in test scope, the beforeAll login is refused, and so are its 10 tests', () => {
  const login = file('test-scope').assertionResults.filter((a) => a.ancestorTitles[0] === 'a beforeAll login in test scope');
  expect(login.map((a) => a.status)).toEqual(Array(10).fill('failed'));
  for (const a of login) expect(a.failureMessages.join('\n')).toContain('No shared-session context');
});
// #endregion test-scope

test('a suite-scoped block whose beforeAll fails is rolled back: its tests fail, the next test and the leak check find nothing', () => {
  const failures = file('suite-failures');
  expect(failures.assertionResults.map((a) => a.status)).toEqual(['failed', 'passed']);
  expect(failures.assertionResults[0].failureMessages.join('\n')).toContain('beforeAll failing on purpose, with a row written');
  expect(failures.message).not.toContain('Rows left behind');
});

test('a concurrent test inside a suite-scoped block is refused when it is registered', () => {
  expect(file('concurrent-suite').message).toContain('Concurrent tests cannot share a suite-scoped transaction: "two"');
});

// Run by child-runs.test.js with testEnvironment 'node': the kit's setup file refuses to run without the kit's environment.
test('never runs', () => {});

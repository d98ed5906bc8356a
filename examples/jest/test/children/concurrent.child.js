// Run by child-runs.test.js: the kit's environment refuses test.concurrent when the test is registered.
test.concurrent('one', async () => {});
test.concurrent('two', async () => {});

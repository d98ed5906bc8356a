// Run by child-runs.test.js only: a suite-scoped block whose test and after() hook fail.
const assert = require('node:assert/strict');
const { useSuiteTransaction, clientFor } = require('../kit');
const { Article } = require('../../src/db');

describe('a suite-scoped block that fails', () => {
  useSuiteTransaction();

  it('writes through a request, then fails', async () => {
    assert.equal((await (await clientFor('editor')).post('/articles', { title: 'Doomed' })).status, 201);
    assert.fail('failed on purpose');
  });

  it('still runs, and sees the row of the failed test', async () => {
    assert.equal(await Article.count(), 1);
  });

  after(() => {
    assert.fail('after() failed on purpose');
  });
});

describe('the next block', () => {
  useSuiteTransaction();

  it('sees nothing of the failed block', async () => {
    assert.equal(await Article.count(), 0);
  });
});

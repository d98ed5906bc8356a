// Run by child-runs.test.js only: a test that fails after its request wrote rows.
const assert = require('node:assert/strict');
const { clientFor } = require('../kit');
const { User, Article } = require('../../src/db');

it('writes through a request, then fails', async () => {
  assert.equal((await (await clientFor('editor')).post('/articles', { title: 'Doomed' })).status, 201);
  assert.fail('failed on purpose');
});

it('sees none of its rows afterwards', async () => {
  assert.equal(await Article.count(), 0);
  assert.equal(await User.count(), 0);
});

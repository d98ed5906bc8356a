// Run by child-runs.test.js only, after closes-app.js in the same run. (In a
// describe, so it runs after that file's block; root-level tests of all files
// would run first.)
const assert = require('node:assert/strict');
const { Article } = require('../../src/db');

describe('the next file', () => {
  it('counts articles in the next file', async () => {
    assert.equal(await Article.count(), 0);
  });
});

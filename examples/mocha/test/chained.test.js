// Issue 14's two blocks, as suites not written one-test-one-world have them. They pass in suite scope;
// child-runs.test.js runs this same file in test scope, where they fail.
const assert = require('node:assert/strict');
const { useSuiteTransaction, clientFor } = require('./kit');
const { User, Article } = require('../src/db');

// #region chained
describe('a chained block', () => {
  // One transaction for the block's hooks and tests, rolled back when the block ends.
  useSuiteTransaction();
  let articleId;

  it('creates an article', async () => {
    const created = await (await clientFor('editor')).post('/articles', { title: 'Chained' });
    assert.equal(created.status, 201);
    articleId = created.data.id;
  });

  it('reads what the previous test created', async () => {
    const read = await (await clientFor()).get(`/articles/${articleId}`);
    assert.equal(read.status, 200);
    assert.equal(read.data.title, 'Chained');
  });
});
// #endregion chained

// #region login
describe('a before() login reused by 10 tests', () => {
  useSuiteTransaction();
  let editor;
  // Runs in the block's transaction: one sign-in for the 10 tests.
  before(async () => {
    editor = await clientFor('editor');
  });

  for (let n = 1; n <= 10; n += 1) {
    it(`posts article ${n} as the same editor, and sees the ${n - 1} before it`, async () => {
      assert.equal((await editor.post('/articles', { title: `Post ${n}` })).status, 201);
      assert.equal((await editor.get('/articles')).data.length, n);
    });
  }

  // So does after(): the block's rows are still there.
  after(async () => {
    assert.equal(await User.count(), 1);
    assert.equal(await Article.count(), 10);
  });
});
// #endregion login

describe('after the blocks', () => {
  it('nothing of theirs is left', async () => {
    assert.equal(await Article.count(), 0);
    assert.equal(await User.count(), 0);
  });
});

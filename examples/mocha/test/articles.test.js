// #region requires
const assert = require('node:assert/strict');
const { clientFor } = require('./kit');
// Required at the top, as suites do: the plugin pointed DATABASE_URL at this process's database before Mocha loaded this file.
const { User, Article } = require('../src/db');
// #endregion requires

describe('articles', () => {
  // #region first-test
  let author;
  // beforeEach hooks run inside the test's transaction, like the test body.
  beforeEach(async () => {
    author = await User.create({ email: 'author@example.test', role: 'editor' });
  });
  // So do afterEach hooks: the transaction is rolled back after the last of them.
  afterEach(async () => {
    assert.equal(await User.count({ where: { id: author.id } }), 1);
  });

  it('a fixture row is visible to a request', async () => {
    const article = await Article.create({ title: 'Fixture', authorId: author.id });
    const response = await (await clientFor()).get(`/articles/${article.id}`);
    assert.equal(response.status, 200);
    assert.equal(response.data.author.email, 'author@example.test');
  });
  // #endregion first-test

  it('a POST, then a SELECT in the test', async () => {
    const response = await (await clientFor('editor')).post('/articles', { title: 'Posted' });
    assert.equal(response.status, 201);
    const saved = await Article.findByPk(response.data.id);
    assert.equal(saved.title, 'Posted');
  });

  it('two roles: a reader is refused, an editor is not', async () => {
    const reader = await clientFor('reader');
    const editor = await clientFor('editor');
    assert.equal((await reader.post('/articles', { title: 'No' })).status, 403);
    assert.equal((await editor.post('/articles', { title: 'Yes' })).status, 201);
    assert.deepEqual((await reader.get('/articles')).data.map((a) => a.title), ['Yes']);
  });

  it('a test with a done callback runs in its transaction too', function (done) {
    clientFor()
      .then((client) => client.get('/articles'))
      .then((response) => {
        assert.deepEqual(response.data, []);
        setImmediate(done);
      })
      .catch(done);
  });

  it('every test starts from the template: the rows of earlier tests are gone', async () => {
    assert.equal(await Article.count(), 0);
    assert.equal(await User.count(), 1); // this test's author only
  });
});

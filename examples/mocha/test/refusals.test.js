const assert = require('node:assert/strict');
const { currentContext } = require('sequelize-shared-session');
const { clientFor } = require('./kit');
const { Article } = require('../src/db');

describe('what the plugin refuses', () => {
  // #region before-refused
  let query;
  let client;
  // before() hooks run once for many tests, outside any test's transaction.
  before(async () => {
    query = await Article.count().catch((error) => error);
    client = await clientFor('editor').catch((error) => error);
  });

  it('a query in a before() hook, which would commit for good', () => {
    assert.match(query.message, /^Query outside any test transaction/);
  });
  // #endregion before-refused

  it('clientFor() in a before() hook, since no test is running there', () => {
    assert.match(client.message, /^No shared-session context/);
  });

  describe('a done callback called inside the test (mocha#4662)', () => {
    it('calls done from a callback of its own queries', function (done) {
      Article.count().then(() => setImmediate(done), done);
    });
    // Had done() carried the test's context along, this hook would run in it.
    after(() => {
      assert.equal(currentContext(), undefined);
    });
  });
});

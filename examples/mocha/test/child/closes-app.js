// Run by child-runs.test.js only: a file that closes the app's Sequelize singleton
// after its tests, as Jest suites do in every file. Mocha runs every file of the
// run in one process, on the one instance the plugin built. (A top-level after()
// would belong to the root suite and run only at the end of the whole run.)
const assert = require('node:assert/strict');
const db = require('../../src/db');

describe('a file that closes the app when it is done', () => {
  it('counts articles, then the file closes the app', async () => {
    assert.equal(await db.Article.count(), 0);
  });

  after(() => db.sequelize.close());
});

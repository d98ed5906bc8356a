// Run by child-runs.test.js: what the kit finds only when a test ends fails that test (and only that one).
const kit = require('../kit');
const app = require('../../src/app');
const { sequelize, Note } = require('../../src/db');

// A route with a bug that production would hide: its transaction is neither committed nor rolled back.
app.post('/forgetful', async (_req, res) => {
  const t = await sequelize.transaction();
  await Note.count({ transaction: t });
  res.status(204).end();
});

test('a request leaves its transaction open', async () => {
  expect((await (await kit.clientFor()).post('/forgetful')).status).toBe(204);
});

test('the next test runs as usual', async () => {
  expect(await Note.count()).toBe(0);
});

// Run by child-runs.test.js: a suite-scoped block is rolled back when a hook fails (the
// per-file check after this file finds nothing).
const kit = require('../kit');
const { useSuiteTransaction } = require('sequelize-shared-session/jest');
const { Note } = require('../../src/db');

describe('a suite-scoped block whose beforeAll fails after writing', () => {
  useSuiteTransaction();
  beforeAll(async () => {
    expect((await (await kit.clientFor('admin')).post('/notes', { title: 'doomed' })).status).toBe(201);
    throw new Error('beforeAll failing on purpose, with a row written');
  });

  test('does not run', () => undefined);
});

test('the next test sees nothing of the block', async () => {
  expect(await Note.count()).toBe(0);
});

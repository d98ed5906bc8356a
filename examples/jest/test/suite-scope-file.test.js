// Suite scope for a whole file: useSuiteTransaction() at the top level. The
// file's beforeAll/afterAll hooks and all its tests share one transaction,
// rolled back after the file's last afterAll hook, before the per-file check.
// #region file-scope
const kit = require('./kit');
const { useSuiteTransaction } = require('sequelize-shared-session/jest');
const { Note } = require('../src/db');

useSuiteTransaction();

let admin;
beforeAll(async () => {
  admin = await kit.clientFor('admin');
  expect((await admin.post('/notes', { title: 'seeded over HTTP' })).status).toBe(201);
});
// #endregion file-scope

afterAll(async () => {
  expect(await Note.count()).toBe(2);
});

test('a test sees what beforeAll wrote', async () => {
  expect(await Note.count()).toBe(1);
  expect((await admin.post('/notes', { title: 'by the first test' })).status).toBe(201);
});

test.failing('a test that fails (expected to fail) after writing', async () => {
  expect((await admin.post('/notes', { title: 'by a failing test' })).status).toBe(201);
  throw new Error('failing on purpose, with a row written');
});

test('the next test sees the rows of the tests before it, the failing one included', async () => {
  expect((await Note.findAll({ order: [['id', 'ASC']] })).map((n) => n.title)).toEqual(['seeded over HTTP', 'by the first test', 'by a failing test']);
  await Note.destroy({ where: { title: 'by a failing test' } });
});

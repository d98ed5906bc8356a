// Each test runs in one transaction, shared by the code below and by every
// request the test sends, and rolled back when the test ends.
// #region first-test
const kit = require('./kit');
const { User, Note } = require('../src/db');

let author;
beforeEach(async () => {
  // Hooks run inside the test's transaction too.
  author = await User.create({ name: 'Ada', role: 'admin' });
});

afterEach(async () => {
  // ...and so do afterEach hooks: they still see the test's rows.
  expect(await User.count({ where: { id: author.id } })).toBe(1);
});

test('a fixture row is visible to a request', async () => {
  await Note.create({ title: 'made by the test', authorId: author.id });
  const { status, data } = await (await kit.clientFor()).get('/notes');
  expect(status).toBe(200);
  expect(data.map((n) => [n.title, n.author.name])).toEqual([['made by the test', 'Ada']]);
});
// #endregion first-test

test('a POST, then a SELECT in the test', async () => {
  const admin = await kit.clientFor('admin');
  const { status } = await admin.post('/notes', { title: 'posted' });
  expect(status).toBe(201);
  expect(await Note.count({ where: { title: 'posted' } })).toBe(1);
  // The raw transaction is there too, for SQL.
  const [rows] = await kit.tx().sequelize.query('SELECT count(*)::int AS n FROM notes', { transaction: kit.tx() });
  expect(rows).toEqual([{ n: 1 }]);
});

test('two roles: a reader gets 403, an admin 201', async () => {
  const reader = await kit.clientFor('reader');
  const admin = await kit.clientFor('admin');
  expect((await reader.post('/notes', { title: 'by a reader' })).status).toBe(403);
  expect((await admin.post('/notes', { title: 'by an admin' })).status).toBe(201);
  expect((await (await kit.clientFor()).post('/notes', { title: 'anonymous' })).status).toBe(401);
});

test('an app error rolls back to where production would (a 409 keeps the earlier note)', async () => {
  const admin = await kit.clientFor('admin');
  expect((await admin.post('/notes', { title: 'twice' })).status).toBe(201);
  expect((await admin.post('/notes', { title: 'twice' })).status).toBe(409);
  expect(await Note.count()).toBe(1);
});

describe('a failing test leaves nothing behind', () => {
  test.failing('fails on purpose after writing (expected to fail)', async () => {
    const admin = await kit.clientFor('admin');
    expect((await admin.post('/notes', { title: 'doomed' })).status).toBe(201);
    expect(await Note.count({ where: { title: 'doomed' } })).toBe(1);
    throw new Error('failing on purpose, with a row written');
  });

  test('the next test does not see its rows', async () => {
    expect(await Note.count({ where: { title: 'doomed' } })).toBe(0);
    expect(await User.count()).toBe(1); // only this test's author
  });
});

test('a test with a done callback runs in its transaction too', (done) => {
  Note.create({ title: 'callback style', authorId: author.id })
    .then(() => Note.count())
    .then((n) => { expect(n).toBe(1); done(); }, done);
});

test.each(['admin', 'reader'])('test.each: a %s reads the notes', async (role) => {
  await Note.create({ title: `for the ${role}`, authorId: author.id });
  const { data } = await (await kit.clientFor(role)).get('/notes');
  expect(data.map((n) => n.title)).toEqual([`for the ${role}`]);
});

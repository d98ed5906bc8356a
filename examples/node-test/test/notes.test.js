'use strict';
// #region first-test
const assert = require('node:assert/strict');
const { test, describe, clientFor, app } = require('./kit');

test('a fixture row is visible to a request', async () => {
  const { User, Note } = app();
  const author = await User.create({ email: 'ada@example.test', role: 'editor' });
  await Note.create({ text: 'written by a fixture', authorId: author.id });

  const viewer = await clientFor('viewer');
  const response = await viewer.get('/notes');
  assert.equal(response.status, 200);
  assert.deepEqual(response.data.map((n) => [n.text, n.author]), [['written by a fixture', 'ada@example.test']]);
});
// #endregion first-test

test('a POST, then a SELECT in the test', async () => {
  const editor = await clientFor('editor');
  const response = await editor.post('/notes', { text: 'posted' });
  assert.equal(response.status, 201);
  const note = await app().Note.findByPk(response.data.id);
  assert.equal(note.text, 'posted');
});

test('two roles: a viewer may not post, an editor may', async () => {
  const viewer = await clientFor('viewer');
  const editor = await clientFor('editor');
  assert.equal((await viewer.post('/notes', { text: 'nope' })).status, 403);
  assert.equal((await editor.post('/notes', { text: 'yes' })).status, 201);
  assert.equal((await (await clientFor()).get('/notes')).status, 401);
  assert.deepEqual((await viewer.get('/notes')).data.map((n) => n.text), ['yes']);
});

describe('a failing test leaves nothing behind', () => {
  // `todo`: node:test runs it and reports its failure without failing the run.
  test('writes a user and a note, then fails', { todo: 'fails on purpose' }, async () => {
    const editor = await clientFor('editor');
    assert.equal((await editor.post('/notes', { text: 'from a failed test' })).status, 201);
    assert.equal(await app().Note.count(), 1);
    throw new Error('this test fails on purpose');
  });

  test('the next test finds no row of it', async () => {
    const { User, Note } = app();
    assert.equal(await Note.count(), 0);
    assert.equal(await User.count(), 0);
  });
});

// #region subtests
test('subtests share their parent\'s transaction', async (t) => {
  const editor = await clientFor('editor');
  await editor.post('/notes', { text: 'parent' });

  await t.test('a subtest sees the parent\'s row, and adds one', async () => {
    const { data } = await editor.get('/notes');
    assert.deepEqual(data.map((n) => n.text), ['parent']);
    assert.equal((await editor.post('/notes', { text: 'child' })).status, 201);
  });
  await t.test('a callback-style subtest sees both', (_t, done) => {
    app().Note.count().then((count) => done(count === 2 ? undefined : new Error(`count ${count}`)), done);
  });
  assert.equal(await app().Note.count(), 2);
  // Not awaited: node:test would cancel it when the body returns; the kit waits for it, inside the transaction.
  void t.test('a subtest the body does not await still runs in the transaction', async () => {
    assert.equal(await app().Note.count(), 2);
  });
});
// #endregion subtests

test('a callback-style test runs in its transaction too', (_t, done) => {
  clientFor('editor')
    .then((editor) => editor.post('/notes', { text: 'with done' }))
    .then(() => app().Note.count())
    .then((count) => done(count === 1 ? undefined : new Error(`expected 1 note, found ${count}`)), done);
});

// #region concurrency
describe('tests of a describe with { concurrency } run at once, each in its own transaction', { concurrency: true, timeout: 20_000 }, () => {
  let bothPosted;
  const posted = new Promise((resolve) => { bothPosted = resolve; });
  let count = 0;
  for (const text of ['first', 'second']) {
    test(`"${text}" sees its own note, not the other test's`, async () => {
      const editor = await clientFor('editor');
      assert.equal((await editor.post('/notes', { text })).status, 201);
      if (++count === 2) bothPosted();
      await posted; // both tests are inside their transactions now (run one after the other, they would wait here forever)
      assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), [text]);
      assert.equal(await app().Note.count(), 1);
    });
  }
});
// #endregion concurrency

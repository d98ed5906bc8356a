'use strict';
// A whole file in suite scope: one line at its top. Its hooks and tests share
// ONE transaction, in declared order, rolled back after its last test.
const assert = require('node:assert/strict');
const { test, describe, before, clientFor, app, useSuiteTransaction } = require('./kit');

// #region file-scope
useSuiteTransaction();
// #endregion file-scope

let editor;
before(async () => {
  editor = await clientFor('editor');
});

test('the first test creates a note', async () => {
  assert.equal((await editor.post('/notes', { text: 'first' })).status, 201);
});

test('the second reads it', async () => {
  assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), ['first']);
});

describe('a test-scoped block in a suite-scoped file', { suiteTransaction: false }, () => {
  test('writes in a savepoint of its own', async () => {
    assert.equal((await editor.post('/notes', { text: 'undone' })).status, 201);
    assert.equal(await app().Note.count(), 2);
  });
  test("sees the file's rows only", async () => {
    assert.equal(await app().Note.count(), 1);
  });
});

test('the last test still sees the first note, and the one login', async () => {
  assert.equal(await app().Note.count(), 1);
  assert.equal(await app().User.count(), 1);
});

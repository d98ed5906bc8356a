'use strict';
// Suite scope: `describe(name, { suiteTransaction: true }, fn)` runs the
// block's before/after hooks and all its tests in ONE transaction, in declared
// order, rolled back when the block ends. For suites whose tests build on each
// other, and for a login made once in before() and reused by the block's tests.
// child/in-test-scope.js runs these same blocks in test scope, where they fail.
const assert = require('node:assert/strict');
const { beforeEach } = require('node:test');
const { test, describe, before, after, clientFor, app } = require('./kit');

// #region suite-scope
describe('a chained block', { suiteTransaction: true }, () => {
  let noteId;

  test('creates a note', async () => {
    const created = await (await clientFor('editor')).post('/notes', { text: 'chained' });
    assert.equal(created.status, 201);
    noteId = created.data.id;
  });

  test('reads what the previous test created', async () => {
    const read = await (await clientFor('viewer')).get('/notes');
    assert.deepEqual(read.data.map((n) => [n.id, n.text]), [[noteId, 'chained']]);
  });
});

describe('a before() login reused by 10 tests', { suiteTransaction: true }, () => {
  let editor;
  before(async () => {
    editor = await clientFor('editor'); // one login for the whole block, inside its transaction
  });
  for (let i = 1; i <= 10; i++) {
    test(`posts note ${i}, and sees the ${i - 1} before it`, async () => {
      assert.equal((await editor.post('/notes', { text: `note ${i}` })).status, 201);
      assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), Array.from({ length: i }, (_, k) => `note ${k + 1}`));
      assert.equal(await app().User.count(), 1); // the one login, not one per test
    });
  }
  after(async () => {
    // The block's after() hooks run inside its transaction too, before it is rolled back.
    assert.equal(await app().Note.count(), 10);
  });
});
// #endregion suite-scope

describe('nested blocks', { suiteTransaction: true }, () => {
  let editor;
  before(async () => {
    editor = await clientFor('editor');
    assert.equal((await editor.post('/notes', { text: 'outer' })).status, 201);
  });

  describe('a test-scoped block inside: each test gets a savepoint', { suiteTransaction: false }, () => {
    test("sees the block's rows, and adds its own", async () => {
      assert.equal((await editor.post('/notes', { text: 'inner only' })).status, 201);
      assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), ['outer', 'inner only']);
    });
    test("sees the block's rows and no other test's", async () => {
      assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), ['outer']);
    });
  });

  describe('a suite-scoped block inside: a savepoint of the outer transaction', { suiteTransaction: true }, () => {
    test('writes', async () => {
      assert.equal((await editor.post('/notes', { text: 'inner block' })).status, 201);
    });
    test('sees what its previous test wrote', async () => {
      assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), ['outer', 'inner block']);
    });
  });

  test('after the inner blocks, what they wrote is undone and the block goes on', async () => {
    assert.deepEqual((await editor.get('/notes')).data.map((n) => n.text), ['outer']);
  });
});

let fromEndedBlock;
describe('a block whose client outlives it', { suiteTransaction: true }, () => {
  beforeEach(async () => {
    await app().User.create({ email: 'from-before-each@example.test', role: 'viewer' }); // in the block's transaction too
  });
  test('signs in', async () => {
    assert.equal(await app().User.count(), 1);
    fromEndedBlock = await clientFor('editor');
  });
});

test('a test beside the blocks sees none of their rows, and a request from an ended block is refused', async () => {
  assert.equal(await app().Note.count(), 0);
  assert.equal(await app().User.count(), 0);
  const late = await fromEndedBlock.get('/notes');
  assert.equal(late.status, 500);
  assert.match(late.data.error.message, /^Request from a test that has ended: GET \/notes was sent by "a block whose client outlives it"/);
});

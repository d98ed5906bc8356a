'use strict';
// Run by child-runs.test.js only: a suite-scoped block whose test and after()
// hook fail is still rolled back, and the blocks after it run as usual.
const assert = require('node:assert/strict');
const nodeTest = require('node:test');
const { test, describe, after, clientFor, app } = require('../kit');

describe('a suite-scoped block that fails', { suiteTransaction: true }, () => {
  test('writes a note, then fails', async () => {
    assert.equal((await (await clientFor('editor')).post('/notes', { text: 'from a failed test' })).status, 201);
    throw new Error('this test failed on purpose');
  });
  test('still runs, and sees the row of the failed test', async () => {
    assert.equal(await app().Note.count(), 1);
  });
  after(() => {
    throw new Error('after() failed on purpose');
  });
});

describe('a suite-scoped block whose node:test after() fails', { suiteTransaction: true }, () => {
  test('writes a note', async () => {
    assert.equal((await (await clientFor('editor')).post('/notes', { text: 'from another block' })).status, 201);
  });
  nodeTest.after(() => {
    throw new Error("node:test's after() failed on purpose");
  });
});

describe('a suite-scoped block whose before() fails', { suiteTransaction: true }, () => {
  nodeTest.before(async () => {
    await clientFor('editor');
    throw new Error('before() failed on purpose');
  });
  test('does not run', () => assert.fail('ran after a failed before()'));
});

test('the next test sees nothing of the failed blocks', async () => {
  assert.equal(await app().Note.count(), 0);
  assert.equal(await app().User.count(), 0);
});

describe('a concurrent describe inside a suite-scoped block', { suiteTransaction: true }, () => {
  describe('at once', { concurrency: true }, () => {
    test('is refused', () => {});
  });
});

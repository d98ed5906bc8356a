'use strict';
// What the adapter refuses, each with an error that names the fix.
const assert = require('node:assert/strict');
const nodeTest = require('node:test');
const { test, describe, clientFor, app } = require('./kit');

test('concurrency is refused when a test or suite is declared', () => {
  assert.throws(() => describe('at once', { concurrency: true }, () => {}), /node:test concurrency is refused: "at once"/);
  assert.throws(() => test('subtests at once', { concurrency: 4 }, () => {}), /node:test concurrency is refused/);
});

test('a t.test() with concurrency is refused too', async (t) => {
  assert.throws(() => t.test('sub', { concurrency: 2 }, () => {}), /node:test concurrency is refused/);
});

nodeTest.test("a test declared with node:test's own test gets no transaction: its queries are refused", async () => {
  await assert.rejects(app().Note.count(), /Query outside a kit test of node:test/);
  await assert.rejects(clientFor('editor'), /No shared-session context/);
});

describe('node:test hooks run outside the test transaction', () => {
  let fromHook;
  nodeTest.beforeEach(async () => {
    fromHook = await app().User.create({ email: 'hook@example.test', role: 'viewer' }).catch((error) => error);
  });
  test('so a query in beforeEach is refused, not committed', async () => {
    assert.match(fromHook.message, /Query outside a kit test of node:test/);
    assert.equal(await app().User.count(), 0);
  });
});

test.skip('skip is kept', () => assert.fail('a skipped test ran'));
test.todo('todo is kept');

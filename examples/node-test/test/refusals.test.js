'use strict';
// What the adapter refuses, each with an error that names the fix.
const assert = require('node:assert/strict');
const nodeTest = require('node:test');
const { test, describe, clientFor, app } = require('./kit');

test('concurrent subtests are refused when the test is declared: they would share one transaction', () => {
  assert.throws(() => test('subtests at once', { concurrency: 4 }, () => {}), /Concurrent subtests are refused: "subtests at once"/);
  assert.throws(() => test.skip('subtests at once', { concurrency: true }, () => {}), /Concurrent subtests are refused/);
});

test('a t.test() with concurrency is refused too', async (t) => {
  assert.throws(() => t.test('sub', { concurrency: 2 }, () => {}), /Concurrent subtests are refused/);
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

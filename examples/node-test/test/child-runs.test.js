'use strict';
// Child `node --test` runs of files in test/child, whose failures are the point: each checked by its messages.
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const { join } = require('node:path');
const { test } = require('node:test');

function runChild(file) {
  // Without NODE_TEST_CONTEXT, which would make the child think it runs inside this test.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const args = ['--test', '--test-reporter=spec', join(__dirname, 'child', file)];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, output: stdout + stderr });
    });
  });
}

test('the chained and before()-login blocks of suite-scope.test.js fail in test scope, with the messages the docs show', async () => {
  const { code, output } = await runChild('in-test-scope.js');
  assert.equal(code, 1, output);
  assert.match(output, /✔ creates a note/);
  assert.match(output, /✖ reads what the previous test created[^]*?AssertionError \[ERR_ASSERTION\]: Expected values to be strictly deep-equal/);
  assert.match(output, /✖ a before\(\) login reused by 10 tests[^]*?SharedSessionError\]?: No shared-session context/);
  assert.doesNotMatch(output, /Rows left behind/);
});

test('a suite-scoped block whose test or hook fails is rolled back, the next blocks run, and a concurrent test inside one is refused', async () => {
  const { code, output } = await runChild('suite-fails.js');
  assert.equal(code, 1, output);
  assert.match(output, /this test failed on purpose/);
  assert.match(output, /✔ still runs, and sees the row of the failed test/);
  assert.match(output, /✖ a suite-scoped block that fails[^]*?after\(\) failed on purpose/);
  assert.match(output, /node:test's after\(\) failed on purpose/);
  assert.match(output, /before\(\) failed on purpose/);
  assert.match(output, /✔ the next test sees nothing of the failed blocks/);
  assert.doesNotMatch(output, /Rows left behind|ran after a failed before/);
  // and a concurrent test inside a suite-scoped block is refused
  assert.match(output, /✖ is refused[^]*?Concurrent tests cannot share a suite-scoped transaction: "is refused" is marked concurrent inside a block that runs in one transaction/);
});

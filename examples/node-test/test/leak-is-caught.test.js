'use strict';
// The kit's own per-file check, seen from outside: a child `node --test` runs
// a file whose test commits a row behind the kit's back (a raw pg client), and
// fails in the kit's after hook, naming the table.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { test } = require('node:test');

test('a row committed outside the kit fails its file: "Rows left behind"', () => {
  // Without NODE_TEST_CONTEXT, which would make the child think it runs inside this test.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawnSync(process.execPath, ['--test', '--test-reporter=tap', join(__dirname, 'leaky', 'commits-a-row.js')], { encoding: 'utf8', env });
  const output = child.stdout + child.stderr;
  assert.equal(child.status, 1, output);
  assert.match(output, /Rows left behind after this file: notes \(1\), users \(1\)/);
  assert.match(output, /# pass 1/); // the test itself passed: only the check saw the leak
});

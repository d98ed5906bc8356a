const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const { dirname, join } = require('node:path');

// Runs files of test/child in a child Mocha (the version running this file), which joins this run's databases.
function runChild(files, { plugin = true } = {}) {
  const mocha = join(dirname(require.resolve('mocha/package.json', { paths: [process.argv[1]] })), 'bin/mocha.js');
  const args = [mocha, '--no-config', ...(plugin ? ['--require', 'test/kit.js'] : []), '--timeout', '30000', ...files];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: join(__dirname, '..') }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, output: stdout + stderr });
    });
  });
}

describe('child Mocha runs', function () {
  this.timeout(60_000);

  it('the per-file check catches a row committed outside the kit (the negative control), before the next file runs', async () => {
    const { code, output } = await runChild(['test/child/leaks.js', 'test/child/fails.js']);
    assert.equal(code, 2, output); // Mocha exits with the number of failures: the leak, and fails.js's failure on purpose
    assert.match(output, /✔ commits a row with a raw pg client/);
    assert.match(output, /✔ sees none of its rows afterwards/); // fails.js, after leaks.js in the same process and database
    assert.match(output, /"after all" hook[^]*Rows left behind after this file: \S*users \(1\)[^]*checked after the tests of test\/child\/leaks\.js/);
  });

  it('a test that failed after writing through a request leaves nothing behind', async () => {
    const { code, output } = await runChild(['test/child/fails.js']);
    assert.equal(code, 1, output);
    assert.match(output, /1 passing/);
    assert.match(output, /failed on purpose/);
    assert.doesNotMatch(output, /Rows left behind/);
  });

  it('a test whose transaction could not have committed fails, and the next one runs', async () => {
    const { code, output } = await runChild(['test/child/ends-badly.js']);
    assert.equal(code, 1, output);
    assert.match(output, /1\) leaves a row that breaks a deferred constraint:\s+SharedSessionError: A deferred constraint would fail at COMMIT/);
    assert.match(output, /✔ runs after it/);
    assert.doesNotMatch(output, /Rows left behind|Schema differs/);
  });

  it('root hooks of a test file run in the test transaction, its afterEach hooks before the plugin ends it', async () => {
    const { code, output } = await runChild(['test/child/root-hooks.js']);
    assert.equal(code, 0, output);
    assert.match(output, /2 passing/);
  });

  it('the chained and before()-login blocks of chained.test.js fail in test scope, with the messages the docs show', async () => {
    const { code, output } = await runChild(['test/child/in-test-scope.js']);
    assert.equal(code, 3, output);
    assert.match(output, /✔ creates an article/);
    assert.match(output, /1\) a chained block\s+reads what the previous test created:\s+AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:\s+404 !== 200/);
    assert.match(output, /2\) a before\(\) login reused by 10 tests\s+"before all" hook for "posts article 1[^"]*":\s+SharedSessionError: No shared-session context/);
    assert.match(output, /3\) a before\(\) login reused by 10 tests\s+"after all" hook for "posts article 10[^"]*":\s+SharedSessionError: Query outside any test transaction/);
    assert.doesNotMatch(output, /Rows left behind/);
  });

  it('a suite-scoped block whose test and after() hook fail is rolled back, and the next block runs', async () => {
    const { code, output } = await runChild(['test/child/suite-fails.js']);
    assert.equal(code, 2, output);
    assert.match(output, /failed on purpose/);
    assert.match(output, /✔ still runs, and sees the row of the failed test/);
    assert.match(output, /"after all" hook[^]*after\(\) failed on purpose/);
    assert.match(output, /✔ sees nothing of the failed block/);
    assert.doesNotMatch(output, /Rows left behind/);
  });

  it('useSuiteTransaction() at the top of a file is refused: the top level is the root suite of the whole run', async () => {
    const { code, output } = await runChild(['test/child/top-level.js']);
    assert.notEqual(code, 0, output);
    assert.match(output, /useSuiteTransaction\(\) must be called at the top of a describe body/);
  });

  it('a file that closes the app\'s instance leaves the next file a kit error naming where, not Sequelize\'s', async () => {
    const { code, output } = await runChild(['test/child/closes-app.js', 'test/child/after-close.js']);
    assert.equal(code, 1, output);
    assert.match(output, /✔ counts articles, then the file closes the app/);
    // The plugin's beforeEach starts each test, so Mocha reports the refusal there.
    assert.match(output, /1\) "before each" hook: beforeEach for "counts articles in the next file":\s+SharedSessionError: The app's Sequelize instance was closed by test code \(sequelize\.close\(\) at test\/child\/closes-app\.js:\d+:\d+\)/);
    assert.doesNotMatch(output, /connection manager was closed/);
  });

  it('clientFor() is refused in a run that did not load the plugin with --require', async () => {
    const { code, output } = await runChild(['test/child/not-loaded.js'], { plugin: false });
    assert.equal(code, 1, output);
    assert.match(output, /SharedSessionError: The kit's Mocha plugin is not loaded/);
  });
});

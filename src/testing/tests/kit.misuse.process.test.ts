// Mistakes a project can make when wiring the kit, each run for real in a
// child Vitest (against this run's server), each expected to fail with a
// message of its own instead of a TypeError or a misleading "test.concurrent"
// (or, for two fixtures modules in one file, to work).
import { expect, test } from 'vitest';
import { runChildVitest } from './child-vitest.ts';

interface Outcome {
  status: string;
  /** The first line of the first failure. */
  failure: string;
  /** The whole first failure; absent (undefined) for a test that passed. */
  message?: string;
}

/**
 * Runs misuse files in a child Vitest and returns each test's status and first
 * failure line, by test title. Asynchronous, so the child runs overlap.
 */
async function runMisuse(files: string[], flags: string[] = [], expectedStatus = 1, config = 'vitest.config.ts'): Promise<Record<string, Outcome>> {
  const child = await runChildVitest(`src/testing/tests/misuse/${config}`, [...flags, ...files], 60_000);
  expect(child.status, child.stderr).toBe(expectedStatus);
  return Object.fromEntries(
    child.files.flatMap((file) =>
      file.assertionResults.map((r) => [r.title, { status: r.status, failure: (r.failureMessages[0] ?? '').split('\n')[0] ?? '', message: r.failureMessages[0] }]),
    ),
  );
}

test.concurrent('when a file declares a plain Vitest test or a concurrent test in suite scope, then each fails with its own message; a file importing two fixtures modules works', { timeout: 60_000 }, async ({ expect }) => {
  const outcomes = await runMisuse(['two-fixture-modules.misuse.ts', 'plain-vitest-test.misuse.ts', 'suite-scope-concurrent.misuse.ts']);

  expect(outcomes['a concurrent test inside it']?.failure).toMatch(/^SharedSessionError: Concurrent tests cannot share a suite-scoped transaction: "a concurrent test inside it"/);
  expect(outcomes['uses the first fixtures module']).toEqual({ status: 'passed', failure: '' });
  expect(outcomes['declared with vitest test']?.failure).toMatch(/^SharedSessionError: A test declared with Vitest's own test runs in a file that uses the kit: "declared with vitest test"/);
});

test.concurrent('when a suite-scoped block is a plain describe under --sequence.concurrent, then its tests chain and the concurrent tests beside it see none of its rows', { timeout: 60_000 }, async ({ expect }) => {
  const outcomes = await runMisuse(['suite-scope-sequence-concurrent.misuse.ts'], ['--sequence.concurrent'], 0);

  expect(Object.entries(outcomes).map(([title, outcome]) => [title, outcome.status])).toEqual([
    ['its first test writes a row', 'passed'],
    ["its second test sees the first test's row", 'passed'],
    ['a concurrent test of the file sees none of the block rows', 'passed'],
    ['another concurrent test of the file sees none either', 'passed'],
  ]);
});

test.concurrent('when a test of a suite-scoped block is declared before useSuiteTransaction under --sequence.concurrent, then it fails naming the fix, and a test beside the block passes', { timeout: 60_000 }, async ({ expect }) => {
  const outcomes = await runMisuse(['suite-scope-declared-before.misuse.ts'], ['--sequence.concurrent']);

  expect(outcomes['declared before the call']?.failure).toMatch(/^SharedSessionError: Concurrent tests cannot share a suite-scoped transaction: "declared before the call"/);
  expect(outcomes['declared before the call']?.message).toContain("Under `--sequence.concurrent`, call `useSuiteTransaction(test)` before the block's tests: the tests declared after it run one at a time.");
  expect(outcomes['a test beside the block']).toEqual({ status: 'passed', failure: '' });
});

test.concurrent('when useSuiteTransaction is called at the top of a file, then the whole file is one block, its tests chained, with and without --sequence.concurrent', { timeout: 60_000 }, async ({ expect }) => {
  const [plain, concurrent] = await Promise.all([
    runMisuse(['suite-scope-file.misuse.ts'], [], 0),
    runMisuse(['suite-scope-file.misuse.ts'], ['--sequence.concurrent'], 0),
  ]);

  const chained = {
    'the first test of the file writes a row': { status: 'passed', failure: '' },
    "the second test sees the first test's row": { status: 'passed', failure: '' },
    'the third test writes another': { status: 'passed', failure: '' },
  };
  expect(plain).toEqual(chained);
  expect(concurrent).toEqual(chained);
});

test.concurrent('when files run with --no-isolate, then the files without the kit hook fail with their own message', { timeout: 60_000 }, async ({ expect }) => {
  const outcomes = await runMisuse(['shared-graph-first.misuse.ts', 'shared-graph-second.misuse.ts'], ['--no-isolate', '--sequence.shuffle=false']);

  const results = Object.values(outcomes);
  expect(results.map((r) => r.status).sort()).toEqual(['failed', 'passed']);
  expect(results.find((r) => r.status === 'failed')?.failure).toMatch(/^SharedSessionError: The kit hook is not registered in this file: .*shared-graph-(first|second)\.misuse\.ts/);
});

test.concurrent('when files run with --no-isolate and the kit setup file, then every file gets the hook and passes', { timeout: 60_000 }, async ({ expect }) => {
  const outcomes = await runMisuse(
    ['shared-graph-first.misuse.ts', 'shared-graph-second.misuse.ts'],
    ['--sequence.shuffle=false'],
    0,
    'vitest.shared-graph.config.ts',
  );

  expect(Object.values(outcomes).map((r) => r.status)).toEqual(['passed', 'passed']);
});

test.concurrent('when the first file of a worker does not use the kit and blocks its event loop, then its test starts only after the worker database is cloned', { timeout: 60_000 }, async ({ expect }) => {
  const outcomes = await runMisuse(['blocks-event-loop.misuse.ts'], [], 0, 'vitest.shared-graph.config.ts');

  expect(outcomes).toEqual({ 'finds the worker database already cloned while its body blocks the event loop': { status: 'passed', failure: '' } });
});

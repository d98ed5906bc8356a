// The broken approaches share one thing between the tests of their file on
// purpose: one home-made override whose transaction is "the current one", or
// one scratch database that every test empties and fills again. That is the
// approach being reproduced, not something to fix. Their tests must therefore
// never overlap, even under `vitest --sequence.concurrent`; the kit's tests
// and the fixed twins need no such call.
import { TestRunner } from 'vitest';

/**
 * Call at the top of a test file, before its tests: every test declared after
 * it runs one at a time, whatever `--sequence.concurrent` says. A top-level
 * `describe.sequential` does the same, but would indent every test the docs
 * include from these files.
 */
export function runTestsOneAtATime(): void {
  // At the top of a file the current suite is the file's own collector, and
  // `test()` reads its options when it creates each test.
  const options = TestRunner.getCurrentSuite()?.options;
  if (!options) throw new Error('runTestsOneAtATime() must be called at the top of a Vitest test file, outside any test or hook.');
  Object.assign(options, { concurrent: false, sequential: true });
}

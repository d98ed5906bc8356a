// A test that fails or times out must still leave nothing behind, and the body
// of a timed-out test, which Vitest cannot stop, must not write once its
// transaction is gone: its late queries are refused with an error that says why.
// Where a check needs a test that failed before it, it is one test that Vitest
// retries (`retry: 1`): the first attempt fails on purpose, and the retry runs
// in a new kit transaction, as the next test would, whatever the order of the file.
import { setTimeout as sleep } from 'node:timers/promises';
import { SharedSessionError, TESTING_SECTIONS } from '../testing/index.ts';
import { test, expect } from './fixtures.ts';

test.fails('when a test throws after writing, then the test fails (expected)', async ({ factories }) => {
  await factories.tournament({ name: 'Written By A Failing Test' });
  throw new Error('deliberate failure');
});

test('when a test failed after writing, then its retry starts without its rows', { retry: 1 }, async ({ factories, app, task }) => {
  if (task.result?.retryCount === 0) {
    await factories.tournament({ name: 'Written By A Failing Test' });
    expect(await app.models.Tournament.count({ where: { name: 'Written By A Failing Test' } })).toBe(1);
    throw new Error('deliberate failure of the first attempt');
  }

  expect(await app.models.Tournament.count({ where: { name: 'Written By A Failing Test' } })).toBe(0);
});

{
  // Settled by the body of the first attempt of the test below, after it timed out; read by the retry.
  let lateWriteOfTheFirstAttempt: Promise<unknown> | undefined;

  test('when a test times out and its body writes after teardown, then the write is refused and nothing is stored', { retry: 1, timeout: 500 }, async ({ factories, app, task }) => {
    if (task.result?.retryCount === 0) {
      let reportLate!: (outcome: unknown) => void;
      lateWriteOfTheFirstAttempt = new Promise((resolve) => (reportLate = resolve));
      await sleep(800); // outlives the 500 ms timeout: teardown rolls back meanwhile
      try {
        reportLate(await factories.tournament({ name: 'Written After Timeout' }));
      } catch (error) {
        reportLate(error);
      }
      return; // too late: Vitest has already failed this attempt as timed out, and retried it
    }

    expect(lateWriteOfTheFirstAttempt).toBeDefined();
    const outcome = await lateWriteOfTheFirstAttempt; // at most the 300 ms the first attempt sleeps past its timeout

    expect(outcome).toBeInstanceOf(SharedSessionError);
    expect((outcome as SharedSessionError).message).toContain('Query after the test ended');
    expect((outcome as SharedSessionError).section).toBe(TESTING_SECTIONS.afterEnd);
    expect(await app.models.Tournament.count({ where: { name: 'Written After Timeout' } })).toBe(0);
  });
}

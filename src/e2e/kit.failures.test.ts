// A test that fails or times out must still leave nothing behind, and the body
// of a timed-out test, which Vitest cannot stop, must not write once its
// transaction is gone: its late queries are refused with an error that says why.
import { setTimeout as sleep } from 'node:timers/promises';
import { SharedSessionError, TESTING_SECTIONS } from '../testing/index.ts';
import { test, expect } from './fixtures.ts';

test.fails('when a test throws after writing, then the test fails (expected)', async ({ factories }) => {
  await factories.tournament({ name: 'Written By A Failing Test' });
  throw new Error('deliberate failure');
});

test('when the previous test failed, then its rows were rolled back', async ({ app }) => {
  expect(await app.models.Tournament.count({ where: { name: 'Written By A Failing Test' } })).toBe(0);
});

let lateQueryOutcome: Promise<unknown> | undefined;

test.fails('when a test times out, then it fails (expected) while its body keeps running', { timeout: 300 }, async ({ factories }) => {
  let reportLate!: (outcome: unknown) => void;
  lateQueryOutcome = new Promise((resolve) => (reportLate = resolve));
  await sleep(600); // outlives the 300 ms timeout: teardown rolls back meanwhile
  try {
    reportLate(await factories.tournament({ name: 'Written After Timeout' }));
  } catch (error) {
    reportLate(error);
  }
});

test('when a timed-out test writes after teardown, then the write is refused and nothing is stored', async ({ app }) => {
  expect(lateQueryOutcome).toBeDefined();
  const outcome = await lateQueryOutcome;

  expect(outcome).toBeInstanceOf(SharedSessionError);
  expect((outcome as SharedSessionError).message).toContain('Query after the test ended');
  expect((outcome as SharedSessionError).section).toBe(TESTING_SECTIONS.afterEnd);
  expect(await app.models.Tournament.count({ where: { name: 'Written After Timeout' } })).toBe(0);
});

// A file that closes the app's Sequelize instance in afterAll (kept from a Jest
// setup), followed by a file of the same worker, run for real in a child Vitest
// against this run's server. With a module graph per file the close is harmless
// and both files pass. With one per worker the next file shares the closed
// instance: its test fails with the kit's message naming where it was closed,
// not with Sequelize's "connection manager was closed".
import { test } from 'vitest';
import { runChildVitest } from './child-vitest.ts';

interface Outcome {
  status: number | null;
  stderr: string;
  tests: [string, string, string | undefined][];
}

async function runClosedFiles(config: string): Promise<Outcome> {
  const child = await runChildVitest(`src/testing/tests/app-closed/${config}`, [], 60_000);
  const tests = child.files.flatMap((file) =>
    file.assertionResults.map((r): [string, string, string | undefined] => [r.title, r.status, r.failureMessages[0]?.split('\n').slice(0, 2).join('\n')]),
  );
  return { status: child.status, stderr: `${child.stderr}\n${child.files.map((f) => f.message).join('\n')}`, tests };
}

test.concurrent('when a file closes the app\'s instance and the next file has one of its own (isolate: true), then both pass', { timeout: 60_000 }, async ({ expect }) => {
  const outcome = await runClosedFiles('vitest.config.ts');

  expect(outcome.status, outcome.stderr).toBe(0);
  expect(outcome.tests).toEqual([
    ['counts people, then the file closes the app', 'passed', undefined],
    ['counts people in the next file', 'passed', undefined],
  ]);
});

test.concurrent('when a file closes the app\'s instance and the next file shares it (isolate: false), then the next file\'s test fails naming where it was closed', { timeout: 60_000 }, async ({ expect }) => {
  const outcome = await runClosedFiles('vitest.no-isolate.config.ts');

  expect(outcome.status, outcome.stderr).toBe(1);
  expect(outcome.tests.map(([title, status]) => [title, status])).toEqual([
    ['counts people, then the file closes the app', 'passed'],
    ['counts people in the next file', 'failed'],
  ]);
  expect(outcome.tests[1]?.[2]).toMatch(
    /^SharedSessionError: The app's Sequelize instance was closed by test code \(sequelize\.close\(\) at .*src\/testing\/tests\/app-closed\/a-closes-app\.closed\.ts:\d+:\d+\)/,
  );
  expect(outcome.stderr).not.toContain('connection manager was closed');
});

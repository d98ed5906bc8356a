// A file that closes the app's Sequelize instance in afterAll (kept from a Jest
// setup), followed by a file of the same worker, run for real in a child Vitest
// against this run's server. With a module graph per file the close is harmless
// and both files pass. With one per worker the next file shares the closed
// instance: its test fails with the kit's message naming where it was closed,
// not with Sequelize's "connection manager was closed".
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, test } from 'vitest';

interface Outcome {
  status: number | null;
  stderr: string;
  tests: [string, string, string | undefined][];
}

async function runClosedFiles(config: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-app-closed-'));
  try {
    const out = join(dir, 'report.json');
    const { status, stderr } = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--config', `src/testing/tests/app-closed/${config}`, '--reporter=json', `--outputFile=${out}`],
        { env: { ...process.env, DATABASE_URL: inject('sharedSessionDatabase').serverUrl, VITEST_POOL_ID: undefined }, encoding: 'utf8', timeout: 60_000 },
        (error, _stdout, stderrText) => resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stderr: stderrText }),
      );
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      testResults: { status: string; message: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
    };
    const tests = report.testResults.flatMap((file) =>
      file.assertionResults.map((r): [string, string, string | undefined] => [r.title, r.status, r.failureMessages[0]?.split('\n').slice(0, 2).join('\n')]),
    );
    return { status, stderr: `${stderr}\n${report.testResults.map((f) => f.message).join('\n')}`, tests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

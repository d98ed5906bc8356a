// Runs a child Vitest against this run's server and reads its JSON report: the
// process tests that check what a whole run does (misuse, schema damage, a closed
// app instance) share it. Asynchronous, so the calling worker's event loop stays
// free while the child drops and clones databases on the same server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

/** One test file of Vitest's JSON report, as these tests read it. */
export interface ReportedFile {
  name: string;
  status: string;
  message: string;
  assertionResults: { title: string; status: string; failureMessages: string[] }[];
}

/** The child's exit status, its output, and the files of its JSON report. */
export interface ChildVitestRun {
  status: number | null;
  stdout: string;
  stderr: string;
  files: ReportedFile[];
}

/** `vitest run --config <config> ...args` in a child process, with DATABASE_URL naming this run's server. */
export async function runChildVitest(config: string, args: string[], timeoutMs: number): Promise<ChildVitestRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-child-vitest-'));
  try {
    const out = join(dir, 'report.json');
    const { status, stdout, stderr } = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--config', config, '--reporter=json', `--outputFile=${out}`, ...args],
        { env: { ...process.env, DATABASE_URL: inject('sharedSessionDatabase').serverUrl, VITEST_POOL_ID: undefined }, encoding: 'utf8', timeout: timeoutMs },
        (error, stdoutText, stderrText) => resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout: stdoutText, stderr: stderrText }),
      );
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: ReportedFile[] };
    return { status, stdout, stderr, files: report.testResults };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

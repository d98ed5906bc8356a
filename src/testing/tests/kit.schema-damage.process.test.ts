// Schema damage is caught and contained, end to end: a file that commits DDL
// (here: drops users' unique email constraint in beforeAll) fails by itself,
// naming the constraint, and the next file of the same worker database runs on
// the template's schema again. Both files run for real in a child Vitest with
// one worker, in name order, against this run's server: once with a module
// graph per file, once with one per worker, where the kit (and its pooled
// connections to the database that is cloned again) outlives the damaging file.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, test } from 'vitest';

interface FileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: { title: string; status: string; failureMessages: string[] }[];
}

test.for([
  ['one module graph per file', 'vitest.config.ts'],
  ['one module graph per worker, the kit kept from file to file', 'vitest.no-isolate.config.ts'],
])('when a file drops a constraint outside the test transaction, then that file fails naming it and the next file of the worker gets the constraint back (%s)', { timeout: 90_000 }, async ([, config]) => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-schema-damage-'));
  try {
    const out = join(dir, 'report.json');
    // Asynchronous, so this worker's event loop stays free while the child run drops and clones databases on the same server.
    const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--config', `src/testing/tests/schema-damage/${config}`, '--reporter=json', `--outputFile=${out}`],
        { env: { ...process.env, DATABASE_URL: inject('sharedSessionDatabase').serverUrl, VITEST_POOL_ID: undefined }, encoding: 'utf8', timeout: 80_000 },
        (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: FileResult[] };
    const byFile: Record<string, FileResult> = Object.fromEntries(report.testResults.map((file) => [file.name.split('/').pop() ?? '', file]));
    const damaging = byFile['a-drops-constraint.damage.ts'];
    const innocent = byFile['b-relies-on-constraint.damage.ts'];

    expect(child.status, child.stderr).toBe(1);
    expect(damaging?.status).toBe('failed');
    expect(`${damaging?.message}\n${child.stderr}\n${child.stdout}`).toMatch(
      /Schema differs from the template after this file:\n\s*missing constraint public\.users\.users_email_key \(UNIQUE \(email\)\)/,
    );
    expect(innocent?.assertionResults.map((r) => [r.title, r.status, r.failureMessages[0]?.split('\n')[0]])).toEqual([
      ['a second user with the same email is refused', 'passed', undefined],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

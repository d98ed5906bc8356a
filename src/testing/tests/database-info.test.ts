// The global setup publishes the database info in a file of the temp folder,
// named after its process; teardown removes it. A run killed with kill -9 never
// tears down, so the next run removes the files of processes that are gone.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DATABASE_INFO_ENV, publishDatabaseInfo } from '../databases.ts';

test('when a run publishes its info, then info files of dead runs are removed and live ones kept', () => {
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
  const dead = join(tmpdir(), `e2e-kit-${deadPid}-e2e_rdead.json`);
  const live = join(tmpdir(), `e2e-kit-${process.ppid}-e2e_rlive.json`); // the parent is alive
  writeFileSync(dead, '{}');
  writeFileSync(live, '{}');
  const previous = process.env[DATABASE_INFO_ENV];
  let own = '';
  try {
    own = publishDatabaseInfo({ serverUrl: 'postgres://x@127.0.0.1:1/postgres', template: 't', prefix: 'e2e_rtest', templateSchema: [] });

    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(own).toBe(join(tmpdir(), `e2e-kit-${process.pid}-e2e_rtest.json`));
  } finally {
    for (const file of [dead, live, own]) if (file) rmSync(file, { force: true });
    if (previous === undefined) delete process.env[DATABASE_INFO_ENV];
    else process.env[DATABASE_INFO_ENV] = previous;
  }
});

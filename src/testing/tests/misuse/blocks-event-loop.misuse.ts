// A file that does not use the kit and whose first test blocks its event loop
// with spawnSync, run first in a worker with the kit's setup file. The setup
// file started the worker's database clone; had the test started before that
// clone finished, its connection could sit halfway through its login for the
// whole spawnSync, which stalls every DROP DATABASE on the server. The child
// looks for the worker database while this process is blocked.
import { spawnSync } from 'node:child_process';
import { expect, inject, test } from 'vitest';

const lookUp = `
const pg = require('pg');
const client = new pg.Client({ connectionString: process.env.SERVER_URL });
client.connect()
  .then(() => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [process.env.WORKER_DATABASE]))
  .then((r) => { process.stdout.write(String(r.rowCount)); return client.end(); })
  .catch((e) => { process.stderr.write(e.message); process.exit(2); });
`;

test('finds the worker database already cloned while its body blocks the event loop', () => {
  const { serverUrl, prefix } = inject('sharedSessionDatabase');
  const worker = `${prefix}_w${process.env.VITEST_POOL_ID ?? '1'}`;
  const child = spawnSync(process.execPath, ['-e', lookUp], {
    env: { ...process.env, SERVER_URL: serverUrl, WORKER_DATABASE: worker },
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(child.stderr).toBe('');
  expect(child.stdout, `${worker} exists`).toBe('1');
});

// Starting embedded PostgreSQL must not change how the process ends: its exit
// status is the caller's (a red suite must stay red), and no postgres process
// outlives it, even when the caller forgets to stop the server.
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const fixture = fileURLToPath(new URL('./exit-status.fixture.ts', import.meta.url));

function run(...args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, ...args], { encoding: 'utf8', timeout: 60_000 });
  const port = /:(\d+)\/postgres/.exec(child.stdout)?.[1];
  return { status: child.status, port, stderr: child.stderr };
}

function postgresOnPort(port: string): string {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D .* -p ${port} `], { encoding: 'utf8' });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

describe('embedded PostgreSQL and the process exit', { timeout: 90_000 }, () => {
  test('when the process sets exitCode 1 after using the server, then it exits 1', () => {
    const { status, port, stderr } = run('1', 'stop');
    expect(stderr).toBe('');
    expect(port).toBeDefined();
    expect(status).toBe(1);
  });

  test('when the process calls process.exit without stopping the server, then no postgres process is left', () => {
    const { status, port } = run('2', 'exit');
    expect(status).toBe(2);
    expect(postgresOnPort(port!)).toBe('');
  });
});

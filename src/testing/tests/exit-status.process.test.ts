// Starting embedded PostgreSQL must not change how the process ends: its exit
// status is the caller's (a red suite must stay red), and no postgres process
// outlives it, even when the caller forgets to stop the server.
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const fixture = fileURLToPath(new URL('./exit-status.fixture.ts', import.meta.url));

/** Runs the fixture; asynchronous, so this worker's event loop stays free while it runs. */
async function run(...args: string[]) {
  const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', fixture, ...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
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
  test('when the process sets exitCode 1 after using the server, then it exits 1', async () => {
    const { status, port, stderr } = await run('1', 'stop');
    expect(stderr).toBe('');
    expect(port).toBeDefined();
    expect(status).toBe(1);
  });

  test('when the process calls process.exit without stopping the server, then no postgres process is left', async () => {
    const { status, port } = await run('2', 'exit');
    expect(status).toBe(2);
    expect(postgresOnPort(port!)).toBe('');
  });
});

// Embedded mode leaves nothing behind, however the runner ends: Ctrl-C,
// SIGTERM, or kill -9 (where nothing in the runner can run, so the next start
// removes what a provably dead run left). "Nothing" means no postgres process
// and no data directory, in /dev/shm or the temp dir (embeddedDataParent).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { embeddedDataParent, processStartTime, reapAbandonedEmbeddedPostgres, startEmbeddedPostgres } from '../embedded-postgres.ts';

const fixture = fileURLToPath(new URL('./embedded-run.fixture.ts', import.meta.url));
const hasProc = existsSync('/proc/self/stat');
const ownPidNamespace = hasProc ? readlinkSync('/proc/self/ns/pid') : null;

/** Running (not zombie) processes whose command line is `... -D <dataDir> ...`. */
function postmastersOf(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const d = args.indexOf('-D');
      if (d >= 0 && args[d + 1] === dataDir) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A runner in a child process, in a process group of its own (so the test can "press Ctrl-C" on it). */
async function startRunner(): Promise<{ child: ChildProcess; dataDir: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runner did not start within 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', () => reject(new Error(`the runner exited before printing its URL: ${stderr}`)));
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dataDir = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
    return { child, dataDir };
  } finally {
    await client.end();
  }
}

/** Whatever the outcome, the test leaves no process and no directory behind. */
async function cleanUp(child: ChildProcess | undefined, dataDir: string | undefined): Promise<void> {
  if (dataDir) {
    for (const pid of postmastersOf(dataDir)) process.kill(pid, 'SIGQUIT');
    await until(() => postmastersOf(dataDir).length === 0, 10_000);
  }
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid, 'SIGKILL');
    await exited(child, 10_000);
  }
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}.run.json`, { force: true });
  }
}

describe('embedded PostgreSQL after the runner is interrupted or killed', { timeout: 120_000 }, () => {
  test('when the runner gets SIGTERM, then it ends and leaves no postgres process and no data directory', async () => {
    let runner: Awaited<ReturnType<typeof startRunner>> | undefined;
    try {
      runner = await startRunner();

      process.kill(runner.child.pid!, 'SIGTERM');

      expect(await exited(runner.child, 30_000)).not.toBe('timeout');
      expect(postmastersOf(runner.dataDir)).toEqual([]);
      expect(existsSync(runner.dataDir)).toBe(false);
    } finally {
      await cleanUp(runner?.child, runner?.dataDir);
    }
  });

  test('when Ctrl-C interrupts the runner (SIGINT to its whole process group, postgres included), then it ends and leaves nothing', async () => {
    let runner: Awaited<ReturnType<typeof startRunner>> | undefined;
    try {
      runner = await startRunner();

      process.kill(-runner.child.pid!, 'SIGINT');

      expect(await exited(runner.child, 30_000)).not.toBe('timeout');
      expect(postmastersOf(runner.dataDir)).toEqual([]);
      expect(existsSync(runner.dataDir)).toBe(false);
    } finally {
      await cleanUp(runner?.child, runner?.dataDir);
    }
  });

  test('when the runner was killed with kill -9, then the next start stops its orphaned postgres and removes its data directory', async () => {
    let runner: Awaited<ReturnType<typeof startRunner>> | undefined;
    try {
      runner = await startRunner();
      process.kill(runner.child.pid!, 'SIGKILL');
      expect(await exited(runner.child, 10_000)).toEqual({ code: null, signal: 'SIGKILL' });

      const next = await startEmbeddedPostgres();
      await next.stop();

      expect(postmastersOf(runner.dataDir)).toEqual([]);
      expect(existsSync(runner.dataDir)).toBe(false);
    } finally {
      await cleanUp(runner?.child, runner?.dataDir);
    }
  });
});

describe('what the next start may remove', { timeout: 30_000 }, () => {
  /** A fake run's data directory and run file in a temp dir of the test's own. */
  async function fakeRun(
    dir: string,
    record: { ownerPid: number; ownerStartTime: string | null; postmasterPid: number | null; pidNamespace?: string | null },
  ): Promise<string> {
    const dataDir = join(dir, `e2e-pg-${Math.random().toString(16).slice(2)}`);
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'PG_VERSION'), '18\n');
    await writeFile(`${dataDir}.run.json`, JSON.stringify({ pidNamespace: ownPidNamespace, ...record, dataDir, port: null }));
    return dataDir;
  }

  async function deadPid(): Promise<number> {
    const child = spawn('true');
    await exited(child, 5_000);
    return child.pid!;
  }

  test('when the owner is alive, then its data directory is left alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-reap-test-'));
    try {
      const dataDir = await fakeRun(dir, { ownerPid: process.pid, ownerStartTime: processStartTime(process.pid), postmasterPid: null });

      expect(await reapAbandonedEmbeddedPostgres({ dir })).toEqual([]);
      expect(existsSync(dataDir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('when the owner is gone, then its data directory and run file are removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-reap-test-'));
    try {
      const dataDir = await fakeRun(dir, { ownerPid: await deadPid(), ownerStartTime: null, postmasterPid: null });

      expect(await reapAbandonedEmbeddedPostgres({ dir })).toEqual([dataDir]);
      expect(existsSync(dataDir)).toBe(false);
      expect(existsSync(`${dataDir}.run.json`)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.skipIf(!hasProc)('when the owner\'s pid now belongs to a process started later, then the owner counts as gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-reap-test-'));
    try {
      const dataDir = await fakeRun(dir, { ownerPid: process.pid, ownerStartTime: '1', postmasterPid: null });

      expect(await reapAbandonedEmbeddedPostgres({ dir })).toEqual([dataDir]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('when the recorded postmaster pid now belongs to another process, then that process is left running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-reap-test-'));
    const bystander = spawn('sleep', ['30']);
    try {
      const dataDir = await fakeRun(dir, { ownerPid: await deadPid(), ownerStartTime: null, postmasterPid: bystander.pid! });

      expect(await reapAbandonedEmbeddedPostgres({ dir })).toEqual([dataDir]);
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      bystander.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.skipIf(!hasProc)('when the run was started in another pid namespace (another container sharing the temp dir), then it is left alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-reap-test-'));
    try {
      const dataDir = await fakeRun(dir, { ownerPid: await deadPid(), ownerStartTime: null, postmasterPid: null, pidNamespace: 'pid:[1]' });

      expect(await reapAbandonedEmbeddedPostgres({ dir })).toEqual([]);
      expect(existsSync(dataDir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('when a run file names a directory other than its own sibling, then nothing is deleted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-reap-test-'));
    try {
      const victim = join(dir, 'not-a-data-dir');
      await mkdir(victim);
      await writeFile(join(dir, 'e2e-pg-forged.run.json'), JSON.stringify({ ownerPid: await deadPid(), ownerStartTime: null, dataDir: victim, postmasterPid: null, port: null }));

      expect(await reapAbandonedEmbeddedPostgres({ dir })).toEqual([]);
      expect(existsSync(victim)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('how clients reach the embedded server', { timeout: 60_000 }, () => {
  test('when it starts, then its URL leads over a Unix socket inside its data directory, and stop() removes the socket with the directory', async () => {
    const server = await startEmbeddedPostgres();
    const socketDir = new URL(server.url).searchParams.get('host');
    try {
      expect(socketDir?.startsWith(join(embeddedDataParent(), 'e2e-pg-'))).toBe(true);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        // inet_server_addr() is NULL on a Unix-socket connection, and the socket file sits in the data directory.
        const { rows } = await client.query<{ addr: string | null; port: number }>("SELECT inet_server_addr() AS addr, current_setting('port')::int AS port");
        expect(rows[0]?.addr).toBeNull();
        expect(existsSync(join(socketDir!, `.s.PGSQL.${rows[0]?.port}`))).toBe(true);
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
    expect(existsSync(socketDir!)).toBe(false);
  });
});

// `npm start` (src/server.ts) as a real process: the configuration it refuses
// in one line before anything starts, and what it seeds on a production
// database. The server runs against a scratch database cloned from the
// template (through DATABASE_URL), never against the kit's databases.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, test, type TestContext } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../testing/databases.ts';
import { createSequelize } from '../../db/sequelize.ts';
import { defineModels } from '../models/index.ts';

const SERVER = new URL('../../server.ts', import.meta.url).pathname;
const SIGNAL_HANDLERS_PROBE = new URL('./signal-handlers-probe.ts', import.meta.url).pathname;
const STRONG_SECRET = 'a'.repeat(32);
/** Starting tsx and the server takes seconds, more on a loaded machine: above the suite's 15 s default. */
const TIMEOUT_MS = 40_000;

interface Started {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/**
 * Runs src/server.ts under tsx with exactly these variables (plus PATH and
 * HOME; DATABASE_URL only when given), killed when the test ends if it still
 * runs. `preload`: modules imported before the server's.
 */
function start(env: Record<string, string>, { onTestFinished }: TestContext, preload: string[] = []): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((module) => ['--import', module]), SERVER], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/**
 * Resolves with stdout once `pattern` appears in it; fails when the process exits first, or
 * 5 s before the test's timeout (one run beside a full `test:processes` load needed over 20 s).
 */
async function waitFor(started: Started, pattern: RegExp): Promise<string> {
  const waitMs = TIMEOUT_MS - 5_000;
  const deadline = Date.now() + waitMs;
  while (!pattern.test(started.output().stdout)) {
    if (started.child.exitCode !== null) throw new Error(`the server exited with ${started.child.exitCode}: ${JSON.stringify(started.output())}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${waitMs / 1000} s: ${JSON.stringify(started.output())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return started.output().stdout;
}

// Concurrent: each case is a process of its own that exits by itself within seconds.
describe.concurrent('npm start refuses bad configuration in one line, before starting anything', () => {
  test.for([
    ['a one-character SESSION_SECRET', { SESSION_SECRET: 'x' }, /^npm start: SESSION_SECRET is 1 bytes; it must be at least 32 /],
    ['an empty SESSION_SECRET', { SESSION_SECRET: '' }, /^npm start: SESSION_SECRET is 0 bytes; it must be at least 32 /],
    ['a 31-byte SESSION_SECRET', { SESSION_SECRET: 'é'.repeat(15) + 'a' }, /^npm start: SESSION_SECRET is 31 bytes; it must be at least 32 /],
    ['a PORT that is not a number', { PORT: '80a' }, /^npm start: PORT must be a number from 0 to 65535, got "80a"$/],
  ] as const)('when it is given %s, then it exits 1 with one line on stderr', { timeout: TIMEOUT_MS }, async ([, env, message], context) => {
    const started = start(env, context);

    context.expect(await started.exited).toBe(1);
    const { stdout, stderr } = started.output();
    context.expect(stdout).toBe('');
    context.expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  test('when the port is in use, then it exits 1 with one line that names the port', async (context) => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const started = start({ PORT: String(port) }, context);

      context.expect(await started.exited).toBe(1);
      context.expect(started.output().stderr.trimEnd().split('\n')).toEqual([`npm start: Port ${port} is already in use: stop the other server or choose a free port, e.g. PORT=${port + 1} npm start`]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, TIMEOUT_MS);
});

describe('npm start with NODE_ENV=production on a real database', () => {
  const scratches: ScratchDatabase[] = [];
  afterEach(async () => {
    for (const scratch of scratches.splice(0)) await scratch.drop();
  });

  async function scratchDatabase(label: string) {
    const scratch = await createScratchDatabase(label);
    scratches.push(scratch);
    return scratch;
  }

  async function userEmails(url: string): Promise<string[]> {
    const sequelize = createSequelize(url);
    try {
      return (await defineModels(sequelize).User.findAll({ order: [['email', 'ASC']] })).map((u) => u.email);
    } finally {
      await sequelize.close();
    }
  }

  test('when no flag asks for demo accounts, then none are seeded and it says so', async (context) => {
    const scratch = await scratchDatabase('prod-no-seed');
    const started = start({ NODE_ENV: 'production', DATABASE_URL: scratch.url, PORT: '0', SESSION_SECRET: STRONG_SECRET }, context);

    const stdout = await waitFor(started, /no demo accounts seeded/);
    started.child.kill('SIGTERM');

    expect(await started.exited).toBe(0);
    expect(stdout).not.toMatch(/admin-password/);
    expect(await userEmails(scratch.url)).toEqual([]);
  }, TIMEOUT_MS);

  test('when it says it is listening, then its SIGTERM handler is already in place', async (context) => {
    const scratch = await scratchDatabase('ready-signals');
    const started = start({ NODE_ENV: 'production', DATABASE_URL: scratch.url, PORT: '0', SESSION_SECRET: STRONG_SECRET }, context, [SIGNAL_HANDLERS_PROBE]);

    await waitFor(started, /listening on/);
    started.child.kill('SIGTERM');

    expect(await started.exited).toBe(0);
    const [, before, ready] = /SIGTERM listeners: (\d+) before the server, (\d+) when it said it was listening/.exec(started.output().stderr) ?? [];
    expect({ before, ready }).toEqual({ before: '0', ready: '1' });
  }, TIMEOUT_MS);

  test('when SEED_DEMO=1 asks for them, then they get random passwords printed once, and the public ones do not work', async (context) => {
    const scratch = await scratchDatabase('prod-seed');
    const started = start({ NODE_ENV: 'production', SEED_DEMO: '1', DATABASE_URL: scratch.url, PORT: '0', SESSION_SECRET: STRONG_SECRET }, context);

    const stdout = await waitFor(started, /judge@example\.com/);
    const url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
    const password = /admin@example\.com\s+(\S+)/.exec(stdout)![1]!;
    const login = (pw: string) =>
      fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: pw }) });
    const [withPrinted, withPublic] = [await login(password), await login('admin-password')];
    started.child.kill('SIGTERM');

    expect(stdout).toMatch(/random passwords, printed this once/);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect([withPrinted.status, withPublic.status]).toEqual([200, 401]);
    expect(await started.exited).toBe(0);
    expect(await userEmails(scratch.url)).toEqual(['admin@example.com', 'judge@example.com', 'mc@example.com', 'staff@example.com']);
  }, TIMEOUT_MS);
});

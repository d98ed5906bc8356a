// Vitest as a child process, timed from spawn to exit: the wall time a
// developer sees. The child gets DATABASE_URL pointing at the benchmark's
// PostgreSQL, so Vitest's global setup starts no server of its own (PostgreSQL
// start is excluded; the template migration and Vitest's start-up are not).
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { reapedChildrenCpuMs } from './cpu.ts';

export interface VitestRun {
  /** What was run, for the report. */
  command: string;
  /** Undefined: the config's own (npm test). */
  workers?: number;
  wallMs: number;
  /** When the suite was run several times: every run's wall time; `wallMs` and the rest are the median run's. */
  wallRunsMs?: number[];
  exitCode: number | null;
  testsPassed?: number;
  testsFailed?: number;
  files?: number;
  /** Vitest's own summary: time spent importing test files and their modules, summed over files and workers. */
  importMs?: number;
  /** Vitest's own summary: time spent in tests (hooks and fixtures included), summed over workers. */
  testsMs?: number;
  /** The last lines of output, kept when the run failed. */
  outputTail?: string;
  /** With `{ timeline: true }`: when, counted from spawn, the first test began and the last one ended (Vitest's JSON report). */
  timeline?: { firstTestMs: number; lastTestEndMs: number };
  /** On Linux: CPU time (user + system) of Vitest's processes, and of PostgreSQL's backends when the server runs here (`postmasterPid`). */
  cpu?: { vitestMs: number; postgresMs?: number };
}

export interface TimeVitestOptions {
  /** Read when the first test began and the last ended (Vitest's JSON report). */
  timeline?: boolean;
  /** The server's postmaster, to count the CPU its backends used during the run. */
  postmasterPid?: number;
  /** Run Vitest with this Node binary instead of the bench's own. */
  node?: string;
  /** Start the workers without the config's `execArgv` (bench/vitest.suite.config.ts reads BENCH_NO_EXEC_ARGV). */
  noExecArgv?: boolean;
}

const VITEST_BIN = join('node_modules', 'vitest', 'vitest.mjs');

function count(output: string, label: string, kind: 'passed' | 'failed'): number | undefined {
  const line = output.split('\n').find((l) => l.trim().startsWith(label));
  const match = line ? new RegExp(`(\\d+) ${kind}`).exec(line) : null;
  return match ? Number(match[1]) : undefined;
}

/** Reads "import 11.69s" or "tests 830ms" from Vitest's Duration line. */
function durationPart(output: string, name: string): number | undefined {
  const line = output.split('\n').find((l) => l.trim().startsWith('Duration'));
  const match = line ? new RegExp(`${name} ([0-9.]+)(ms|s)\\b`).exec(line) : null;
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/**
 * Without `databaseUrl` (and `workers`) the child runs as a user's `npm test`
 * does: no DATABASE_URL, so its global setup starts an embedded PostgreSQL of
 * its own, on the config's workers, in this environment.
 */
export async function timeVitest(args: string[], workers?: number, databaseUrl?: string, options: TimeVitestOptions = {}): Promise<VitestRun> {
  // The JSON report gives each file's first test start and last test end, in epoch milliseconds.
  const jsonFile = join('.tmp', `bench-vitest-${process.pid}.json`);
  const reporters = options.timeline ? ['--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`] : [];
  const fullArgs = ['run', ...args, ...(workers ? [`--maxWorkers=${workers}`] : [])];
  const { DATABASE_URL: _ignored, ...userEnv } = process.env;
  const env = databaseUrl ? { ...process.env, DATABASE_URL: databaseUrl, CI: 'true' } : userEnv;
  const vitestCpuBefore = await reapedChildrenCpuMs('self');
  const postgresCpuBefore = options.postmasterPid ? await reapedChildrenCpuMs(options.postmasterPid) : undefined;
  const spawnedAt = Date.now();
  const start = performance.now();
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [VITEST_BIN, ...fullArgs, ...reporters], {
      env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...(options.noExecArgv ? { BENCH_NO_EXEC_ARGV: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  const wallMs = performance.now() - start;
  const vitestCpuAfter = await reapedChildrenCpuMs('self');
  // The workers' backends exit once their connections close, and are then reaped by the postmaster.
  if (postgresCpuBefore !== undefined) await sleep(300);
  const postgresCpuAfter = postgresCpuBefore !== undefined ? await reapedChildrenCpuMs(options.postmasterPid!) : undefined;
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  if (options.timeline && code !== 0) await rm(jsonFile, { force: true });
  return {
    command: `${options.noExecArgv ? 'BENCH_NO_EXEC_ARGV=1 ' : ''}${options.node ? `${options.node} ` : ''}vitest ${fullArgs.join(' ')}`,
    workers,
    wallMs,
    exitCode: code,
    testsPassed: count(plain, 'Tests', 'passed'),
    testsFailed: count(plain, 'Tests', 'failed'),
    files: count(plain, 'Test Files', 'passed'),
    importMs: durationPart(plain, 'import'),
    testsMs: durationPart(plain, 'tests'),
    ...(code === 0 ? {} : { outputTail: plain.trim().split('\n').slice(-25).join('\n') }),
    ...(options.timeline && code === 0 ? { timeline: await readTimeline(jsonFile, spawnedAt) } : {}),
    ...(vitestCpuBefore !== undefined && vitestCpuAfter !== undefined
      ? {
          cpu: {
            vitestMs: vitestCpuAfter - vitestCpuBefore,
            ...(postgresCpuBefore !== undefined && postgresCpuAfter !== undefined ? { postgresMs: postgresCpuAfter - postgresCpuBefore } : {}),
          },
        }
      : {}),
  };
}

/** First test start and last test end over every file of a Vitest JSON report, relative to `spawnedAt`. */
async function readTimeline(jsonFile: string, spawnedAt: number): Promise<VitestRun['timeline']> {
  const report = JSON.parse(await readFile(jsonFile, 'utf8')) as { testResults: { startTime: number; endTime: number }[] };
  await rm(jsonFile, { force: true });
  if (!report.testResults.length) return undefined;
  return {
    firstTestMs: Math.min(...report.testResults.map((file) => file.startTime)) - spawnedAt,
    lastTestEndMs: Math.max(...report.testResults.map((file) => file.endTime)) - spawnedAt,
  };
}

/** Where the generated workload suite is written (git-ignored). */
export const SUITE_DIR = join('.tmp', 'bench-suite');
export const SUITE_CONFIG = join('bench', 'vitest.suite.config.ts');

/**
 * What each generated test does: `workload`, the unit the in-process runs time;
 * `empty`, nothing but take the test's transaction (`tx`), so a suite of them
 * costs what Vitest and the kit cost around any test: start-up, the per-file
 * check, a begin and a rollback per test.
 */
export type SuiteBody = 'workload' | 'empty';

/**
 * Writes `count` Vitest tests, `perFile` to a file, using the demo's real
 * fixtures (src/e2e/fixtures.ts): the same unit the in-process runs time, now
 * with Vitest's own per-test and per-file costs on top.
 */
export async function writeWorkloadSuite(count: number, perFile: number, body: SuiteBody = 'workload'): Promise<number> {
  await rm(SUITE_DIR, { recursive: true, force: true });
  await mkdir(SUITE_DIR, { recursive: true });
  const files = Math.ceil(count / perFile);
  for (let f = 0; f < files; f++) {
    const tests = Math.min(perFile, count - f * perFile);
    const name = `${body}-${String(f + 1).padStart(3, '0')}.test.ts`;
    await writeFile(join(SUITE_DIR, name), suiteFile(tests, body));
  }
  return files;
}

// One test of each kind, inside the generated loop over `i`.
const TEST_BODIES: Record<SuiteBody, string> = {
  workload: `  test(\`workload \${i}\`, async ({ factories, clientFor }) => {
    const staff = await clientFor('staff');
    const tournament = await factories.tournament();
    const category = await factories.category({ tournamentId: tournament.id });
    expect(category.tournamentId).toBe(tournament.id);

    const read = await staff.get(\`/tournaments/\${tournament.id}\`);
    expect(read.status).toBe(200);
    expect(read.data.id).toBe(tournament.id);

    const write = await staff.post(\`/tournaments/\${tournament.id}/categories\`, { name: \`Bench write \${i}\` });
    expect(write.status).toBe(201);
    expect(write.data.tournamentId).toBe(tournament.id);
  });`,
  empty: `  test(\`empty \${i}\`, async ({ tx }) => {
    expect(tx).toBeDefined();
  });`,
};

function suiteFile(tests: number, body: SuiteBody): string {
  return `// Generated by bench/vitest-runs.ts for \`npm run bench\`; do not edit.
import { test, expect } from '../../src/e2e/fixtures.ts';

for (let i = 1; i <= ${tests}; i++) {
${TEST_BODIES[body]}
}
`;
}

/** The median run of several (a failed run, if any, so the report shows it), with every run's wall time. */
export function medianRun(runs: VitestRun[]): VitestRun {
  const failed = runs.find((run) => run.exitCode !== 0);
  const median = failed ?? [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
  return runs.length > 1 ? { ...median, wallRunsMs: runs.map((run) => run.wallMs) } : median;
}

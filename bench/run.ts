// `npm run bench`: what per-test isolation costs, strategy by strategy.
//
//   npm run bench                 full run (a few minutes), rewrites docs/benchmarks.md and its charts
//   npm run bench -- --quick      smoke test for CI (under a minute), writes to .tmp/ only
//   npm run bench -- --rounds 300 more interleaved rounds
//
// One process, one PostgreSQL (embedded, or the server in DATABASE_URL), five
// strategies on the same workload, interleaved; then scaling runs and Vitest
// runs. The embedded server is stopped on every way out (startPostgres also
// handles SIGINT/SIGTERM and process exit).
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startPostgres } from '../src/testing/embedded-postgres.ts';
import { withDatabase } from '../src/testing/admin.ts';
import { AdminConnection, BENCH_PREFIX, createBenchTemplate, createTablesTemplate, dropBenchDatabases } from './databases.ts';
import { countStatements, measurePromiseHook, runDiagnostics, type StatementCount } from './diagnostics.ts';
import { codeLines, machineInfo, machineLine } from './machine.ts';
import { runHeadToHead, runInterleaved, TestCounter, timeSerial } from './measure.ts';
import { Progress } from './progress.ts';
import { BASE_ROWS } from './workload.ts';
import { axisPoint, checkTargets, headToHeadSummary, summarise, type BenchResults, type OtherNodeRun, type RowsPoint, type ScalingPoint, type TablesPoint } from './results.ts';
import { renderReport } from './report.ts';
import { formatMs, formatRatio, formatSeconds, median } from './stats.ts';
import { createStrategies, type Strategy, type StrategyKey } from './strategies.ts';
import { postmasterOf } from './cpu.ts';
import { medianRun, SUITE_CONFIG, SUITE_DIR, timeVitest, writeWorkloadSuite, type SuiteBody, type VitestRun } from './vitest-runs.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'no-vitest': { type: 'boolean', default: false },
    out: { type: 'string' },
    'also-node': { type: 'string' },
    render: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log('Usage: npm run bench [-- --quick] [-- --rounds N] [-- --no-vitest] [-- --out DIR]');
  console.log('  --quick      smoke test (under a minute), writes to .tmp/, never to docs/');
  console.log('  --rounds N   interleaved rounds (default 200; quick 12)');
  console.log('  --no-vitest  skip the Vitest runs');
  console.log('  --out DIR    write the report and charts to DIR instead (default docs/, quick .tmp/)');
  console.log('  --also-node NODE  also run the target\'s 1,000-test suite with this Node binary, interleaved (e.g. a Node 22 from `npx -y node@22 -p process.execPath`)');
  console.log('  --render F   measure nothing: rewrite the report and charts from the raw results F of an earlier run (.tmp/benchmarks.json)');
  process.exit(0);
}

const quick = args.quick;
const rounds = args.rounds ? Number(args.rounds) : quick ? 12 : 200;
const warmupRounds = quick ? 3 : 20;
const scalingCounts = quick ? [20, 50, 100] : [100, 500, 1000];
// The generated Vitest suites: 50 tests per file (a common shape), and 1,000
// tests in two files, one per worker: the fewest files two workers can have.
// The target's suite runs three times and reports its median run: one run's
// wall time moved by ±0.8 s between back-to-back runs on a 2-vCPU machine.
// The same 1,000 tests with empty bodies, three times too, split the target's
// time into what Vitest and the kit cost around any test and what the workload costs.
const suiteRuns: { count: number; perFile: number; times: number; body: SuiteBody }[] = [
  { count: 100, perFile: 50, times: 1, body: 'workload' },
  { count: 500, perFile: 50, times: 1, body: 'workload' },
  { count: 1000, perFile: 50, times: 3, body: 'workload' },
  { count: 1000, perFile: 500, times: 1, body: 'workload' },
  { count: 1000, perFile: 50, times: 3, body: 'empty' },
];
const headToHeadPairs = quick ? 40 : 500;
// Rows written per test beyond the workload's own 4: 4, 30 and 300 rows in all.
const rowsAxisExtras = quick ? [0, 296] : [0, 26, 296];
// Rounds of each point of the rows and tables axes.
const axisRounds = quick ? 3 : 40;
// Tables in the schema: the demo's 6, and templates with empty tables added.
const tableCounts = quick ? [6, 60] : [6, 60, 300];
const SUITE_BLOCK_TESTS = 10;
const suiteRounds = quick ? 2 : 20;
const scalingRepeats = quick ? 1 : 3;
const blockSize = quick ? 10 : 100;
if (!Number.isInteger(rounds) || rounds < 2) throw new Error(`--rounds must be an integer >= 2, got ${args.rounds}`);

// Full runs regenerate the committed report; quick runs never touch it.
function outputPaths(isQuick: boolean) {
  const dir = args.out ?? (isQuick ? '.tmp' : 'docs');
  return { dir, report: join(dir, 'benchmarks.md') };
}
const reportPath = outputPaths(quick).report;

const progress = new Progress();

// --also-node: asked for before anything is measured, so a wrong path fails at once.
const otherNode = args['also-node'] ? describeNode(args['also-node']) : undefined;

/** Round by round (the arrays are in round order): the other Node without the flag less ours, and with the flag less without. */
function pairedNodeDifferences(ours: VitestRun[], flag: VitestRun[], noFlag: VitestRun[]): Pick<OtherNodeRun, 'paired'> {
  if ([...ours, ...flag, ...noFlag].some((run) => run.exitCode !== 0)) return {};
  const diff = (a: VitestRun[], b: VitestRun[], of: (run: VitestRun) => number | undefined) => {
    const pairs = a.map((run, i) => [of(run), of(b[i]!)] as const);
    return pairs.every(([x, y]) => x !== undefined && y !== undefined) ? median(pairs.map(([x, y]) => x! - y!)) : undefined;
  };
  const wall = (run: VitestRun) => run.wallMs;
  const cpu = (run: VitestRun) => run.cpu?.vitestMs;
  const newer = noFlag.length ? noFlag : flag;
  return {
    paired: {
      rounds: ours.length,
      nodeWallMs: diff(newer, ours, wall)!,
      nodeCpuMs: diff(newer, ours, cpu),
      ...(noFlag.length ? { flagWallMs: diff(flag, noFlag, wall), flagCpuMs: diff(flag, noFlag, cpu) } : {}),
    },
  };
}

function describeNode(path: string): { path: string; version: string; asyncContextFrame: boolean } {
  const probe = "console.log(JSON.stringify([process.version, process.allowedNodeEnvironmentFlags.has('--experimental-async-context-frame')]))";
  try {
    const [version, asyncContextFrame] = JSON.parse(execFileSync(path, ['-e', probe], { encoding: 'utf8' })) as [string, boolean];
    return { path, version, asyncContextFrame };
  } catch (error) {
    throw new Error(`--also-node ${path}: not a Node binary this machine can run (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
}

async function main(): Promise<void> {
  progress.log(`[bench] ${quick ? 'quick mode (smoke test): ' : ''}${rounds} interleaved rounds after ${warmupRounds} warm-up rounds; report -> ${reportPath}`);
  if (otherNode && (quick || args['no-vitest'])) progress.log(`[bench] --also-node ignored: ${quick ? 'quick mode' : '--no-vitest'} skips the Vitest runs it adds to`);
  const postgres = await startPostgres();
  let admin: AdminConnection | undefined;
  const strategies: Strategy[] = [];
  try {
    admin = await AdminConnection.open(postgres.url);
    const machine = await machineInfo(admin, postgres.embedded);
    progress.log(`[bench] ${machineLine(machine)}`);
    const benchStart = performance.now();
    const loadStart = os.loadavg()[0]!;
    if (loadStart > machine.cores / 2) progress.log(`[bench] note: load average ${loadStart.toFixed(2)} on ${machine.cores} cores before the run; other work will add noise`);

    const stale = await dropBenchDatabases(postgres.url);
    if (stale.length) progress.log(`[bench] dropped ${stale.length} database(s) left by an earlier run: ${stale.join(', ')}`);
    await createBenchTemplate(postgres.url);
    strategies.push(...(await createStrategies({ serverUrl: postgres.url, admin })));
    const counter = new TestCounter();

    // 1. The interleaved runs.
    const samples = await runInterleaved(strategies, { warmupRounds, rounds, counter, progress });
    progress.clear();
    const labels = new Map(strategies.map((s) => [s.key, { label: s.label, description: s.description, connections: s.server.connections, requests: s.server.requests }]));

    // 2. Did each strategy isolate? (The floor keeps its rows on purpose.)
    for (const strategy of strategies) {
      if (strategy.key === 'none') continue;
      const left = await strategy.leftovers();
      if (Object.keys(left).length > 0) throw new Error(`${strategy.label} left rows behind: ${JSON.stringify(left)}`);
    }
    progress.log('[bench] isolation verified: shared transaction, TRUNCATE, DELETE and database per test left no rows');

    // 3. Statement counts (one untimed test each) and the kit-path diagnostics.
    const statements = new Map<StrategyKey, StatementCount | undefined>();
    for (const strategy of strategies) statements.set(strategy.key, await countStatements(strategy, counter));
    progress.update('diagnostics', 0, 1);
    const diagnostics = await runDiagnostics(withDatabase(postgres.url, `${BENCH_PREFIX}_shared`), quick);
    progress.update('diagnostics', 1, 1);
    progress.clear();

    // 4. The kit against none alone, for a quieter estimate of its overhead.
    const shared = strategies.find((s) => s.key === 'shared')!;
    const noneStrategy = strategies.find((s) => s.key === 'none')!;
    const h2h = await runHeadToHead(noneStrategy, shared, headToHeadPairs, counter, progress);
    const headToHead = headToHeadSummary(h2h.a, h2h.b);
    progress.clear();
    // ...and what part of the kit's cost is Node's promise hook, which any AsyncLocalStorage switches on.
    progress.update('promise hook: none with and without the kit\'s AsyncLocalStorage', 0, 1);
    diagnostics.promiseHookMs = await measurePromiseHook(noneStrategy, counter, quick ? 20 : 300);
    progress.update('promise hook: none with and without the kit\'s AsyncLocalStorage', 1, 1, `${formatMs(diagnostics.promiseHookMs)} ms`);
    progress.clear();
    // ...and DELETE against none alone, the same way, so the kit is compared with DELETE like for like.
    const deleteStrategy = strategies.find((s) => s.key === 'delete')!;
    const h2hDelete = await runHeadToHead(noneStrategy, deleteStrategy, headToHeadPairs, counter, progress);
    const deleteHeadToHead = headToHeadSummary(h2hDelete.a, h2hDelete.b);
    progress.clear();
    // ...and the kit against DELETE directly: the difference itself, with no drift between two runs in it.
    const h2hKitDelete = await runHeadToHead(deleteStrategy, shared, headToHeadPairs, counter, progress);
    const kitVsDelete = headToHeadSummary(h2hKitDelete.a, h2hKitDelete.b);
    progress.clear();

    // 5. Scaling: N tests back to back under the shared transaction, each count
    // measured `scalingRepeats` times in alternating order (up, down, up) so
    // drift does not favour one count; the median run is reported.
    const scalingRuns = new Map<number, number[]>(scalingCounts.map((c) => [c, []]));
    const scalingBlocks = new Map<number, number[][]>(scalingCounts.map((c) => [c, []]));
    for (let rep = 0; rep < scalingRepeats; rep++) {
      const order = rep % 2 === 0 ? scalingCounts : [...scalingCounts].reverse();
      for (const count of order) {
        const label = `scaling: ${count} tests, shared transaction${scalingRepeats > 1 ? ` (run ${rep + 1}/${scalingRepeats})` : ''}`;
        const run = await timeSerial(shared, count, counter, progress, label, blockSize);
        scalingRuns.get(count)!.push(run.ms);
        scalingBlocks.get(count)!.push(run.blocksMs);
        progress.clear();
      }
    }
    const inProcess: ScalingPoint[] = scalingCounts.map((count) => {
      const runs = scalingRuns.get(count)!;
      const blocks = scalingBlocks.get(count)!;
      // The blocks of the median run.
      const medianRun = runs.indexOf([...runs].sort((a, b) => a - b)[Math.floor((runs.length - 1) / 2)]!);
      return { count, ms: median(runs), runsMs: runs, blocksMs: blocks[medianRun] ?? [], blockSize };
    });

    // 6. Rows per test: the kit against none, TRUNCATE and DELETE as each test
    // writes more rows (one extra INSERT of many rows, so the statement count stays).
    const rowsAxis: RowsPoint[] = [];
    const axisStrategies = strategies.filter((s) => s.key !== 'database');
    for (const extraRows of rowsAxisExtras) {
      const label = `rows per test: ${BASE_ROWS + extraRows}`;
      const axisSamples = await runInterleaved(axisStrategies, { warmupRounds: 2, rounds: axisRounds, counter, progress, extraRows, label });
      rowsAxis.push({ rows: BASE_ROWS + extraRows, ...axisPoint(axisSamples) });
      progress.clear();
    }

    // 6b. Tables in the schema: the same four strategies on templates with
    // more (empty) tables; TRUNCATE and DELETE cover every table.
    const tablesAxis: TablesPoint[] = [];
    for (const tables of tableCounts) {
      const template = { name: await createTablesTemplate(postgres.url, admin, tables), tag: `t${tables}` };
      const tableStrategies = await createStrategies({ serverUrl: postgres.url, admin, template }, ['none', 'shared', 'truncate', 'delete']);
      try {
        const tableSamples = await runInterleaved(tableStrategies, { warmupRounds: 3, rounds: axisRounds, counter, progress, label: `tables in the schema: ${tables}` });
        tablesAxis.push({ tables, ...axisPoint(tableSamples) });
      } finally {
        for (const strategy of tableStrategies) await strategy.close();
      }
      progress.clear();
    }

    // 7. Suite scope: blocks of 10 tests in ONE transaction with one login per
    // block, beside the same 10 tests in a transaction each, and commit + TRUNCATE.
    const truncateStrategy = strategies.find((s) => s.key === 'truncate')!;
    const perTestMs = { suite: [] as number[], test: [] as number[], truncate: [] as number[] };
    const timeTests = async (run: () => Promise<void>) => {
      const start = performance.now();
      await run();
      return (performance.now() - start) / SUITE_BLOCK_TESTS;
    };
    const tenTests = (strategy: Strategy) => async () => {
      for (let i = 0; i < SUITE_BLOCK_TESTS; i++) await strategy.runOne(counter.next(), () => {});
    };
    for (let round = 0; round < suiteRounds; round++) {
      perTestMs.suite.push(await timeTests(() => shared.runBlock!(counter.next(), SUITE_BLOCK_TESTS)));
      perTestMs.test.push(await timeTests(tenTests(shared)));
      perTestMs.truncate.push(await timeTests(tenTests(truncateStrategy)));
      progress.update(`suite scope: blocks of ${SUITE_BLOCK_TESTS} tests`, round + 1, suiteRounds);
    }
    progress.clear();
    const suiteScope = {
      testsPerBlock: SUITE_BLOCK_TESTS,
      blocks: suiteRounds,
      suiteMs: median(perTestMs.suite),
      testMs: median(perTestMs.test),
      truncateMs: median(perTestMs.truncate),
    };

    for (const strategy of strategies.splice(0)) await strategy.close();

    // 8. Vitest: a generated suite of the workload, and the repository's E2E suite on 1 and 2 workers.
    const vitestSuite: BenchResults['vitestSuite'] = [];
    let otherNodeRun: BenchResults['otherNode'];
    const e2eWorkers: VitestRun[] = [];
    let vitestSkipped: string | undefined;
    let npmTest: BenchResults['npmTest'];
    const loadBeforeVitest = os.loadavg()[0]!;
    // The earlier phases created and dropped hundreds of databases and thousands of tables:
    // flushed here, not in the first Vitest run (10.6 s of one durable run went there).
    const checkpointStart = performance.now();
    const checkpointBy = await admin.checkpoint();
    const checkpointBeforeVitest = { by: checkpointBy, ms: performance.now() - checkpointStart };
    if (quick) vitestSkipped = 'quick mode';
    else if (args['no-vitest']) vitestSkipped = '--no-vitest';
    else {
      // Where PostgreSQL runs on this machine, the CPU its backends used in each suite run is counted too.
      const postmasterPid = await postmasterOf(await admin.backendPid());
      for (const { count, perFile, times, body } of suiteRuns) {
        await writeWorkloadSuite(count, perFile, body);
        const phase = `vitest: ${count} generated ${body} tests, ${perFile} per file, 2 workers`;
        const runs: VitestRun[] = [];
        // --also-node: the target's suite on the other Node too (with and without the flag, where it has one), in rounds with this Node's runs.
        const alsoNode = otherNode && count === 1000 && perFile === 50 && body === 'workload' ? otherNode : undefined;
        const otherRuns: VitestRun[] = [];
        const withoutFlagRuns: VitestRun[] = [];
        // Two Nodes drift with the machine as much as they differ: more rounds, and differences taken within each.
        const rounds = alsoNode ? Math.max(times, 5) : times;
        for (let i = 0; i < rounds; i++) {
          progress.update(phase, i, rounds);
          const ours = async () => void runs.push(await timeVitest(['--config', SUITE_CONFIG], 2, postgres.url, { timeline: true, postmasterPid }));
          const theirs = async () => void otherRuns.push(await timeVitest(['--config', SUITE_CONFIG], 2, postgres.url, { timeline: true, postmasterPid, node: alsoNode!.path }));
          const theirsWithoutFlag = async () =>
            void withoutFlagRuns.push(await timeVitest(['--config', SUITE_CONFIG], 2, postgres.url, { timeline: true, postmasterPid, node: alsoNode!.path, noExecArgv: true }));
          const round = alsoNode ? [ours, theirs, ...(alsoNode.asyncContextFrame ? [theirsWithoutFlag] : [])] : [ours];
          // Each variant takes each place in the round in turn.
          for (let k = 0; k < round.length; k++) await round[(i + k) % round.length]!();
        }
        if (alsoNode) {
          otherNodeRun = {
            version: alsoNode.version,
            asyncContextFrame: alsoNode.asyncContextFrame,
            run: medianRun(otherRuns),
            ...(withoutFlagRuns.length ? { withoutFlag: medianRun(withoutFlagRuns) } : {}),
            ...pairedNodeDifferences(runs, otherRuns, withoutFlagRuns),
          };
        }
        vitestSuite.push({ count, perFile, body, ...medianRun(runs) });
        progress.update(phase, rounds, rounds, `${formatSeconds(vitestSuite.at(-1)!.wallMs)} s`);
        progress.clear();
      }
      for (const workers of [1, 2]) {
        progress.update(`vitest: src/e2e, ${workers} worker(s)`, 0, 1);
        e2eWorkers.push(await timeVitest(['src/e2e'], workers, postgres.url));
        progress.update(`vitest: src/e2e, ${workers} worker(s)`, 1, 1, `${formatSeconds(e2eWorkers.at(-1)!.wallMs)} s`);
        progress.clear();
      }
      // 9. `npm test` as a user runs it (its own embedded PostgreSQL), twice, and `npm run test:processes` once.
      npmTest = { runs: [] };
      for (const [i, label] of ['npm test (1/2)', 'npm test (2/2)', 'npm run test:processes'].entries()) {
        progress.update(label, 0, 1);
        const run = await timeVitest(i < 2 ? [] : ['--config', 'vitest.processes.config.ts']);
        if (i < 2) npmTest.runs.push(run);
        else npmTest.processes = run;
        progress.update(label, 1, 1, run.exitCode === 0 ? `${formatSeconds(run.wallMs)} s` : `failed (exit ${run.exitCode})`);
        progress.clear();
      }
    }

    const results: BenchResults = {
      quick,
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      machine,
      warmupRounds,
      rounds,
      strategies: summarise(samples, labels, statements),
      inProcess,
      vitestSuite,
      ...(otherNodeRun ? { otherNode: otherNodeRun } : {}),
      e2eWorkers,
      ...(vitestSkipped ? { vitestSkipped } : {}),
      ...(npmTest ? { npmTest } : {}),
      diagnostics,
      headToHead,
      deleteHeadToHead,
      kitVsDelete,
      rowsAxis,
      axisRounds,
      tablesAxis,
      suiteScope,
      load: { start: loadStart, beforeVitest: loadBeforeVitest, end: os.loadavg()[0]! },
      checkpointBeforeVitest,
      codeLines: { bench: await codeLines('bench'), kit: await codeLines(join('src', 'testing')) },
      benchWallMs: performance.now() - benchStart,
    };
    await writeOutputs(results);
    printSummary(results);
  } finally {
    progress.clear();
    for (const strategy of strategies) await strategy.close().catch(() => {});
    await admin?.close().catch(() => {});
    await dropBenchDatabases(postgres.url).catch((error: unknown) => console.error('[bench] could not drop the bench databases:', error));
    await postgres.stop();
  }
}

async function writeOutputs(r: BenchResults, saveJson = true): Promise<void> {
  const paths = outputPaths(r.quick);
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.report, renderReport(r));
  // The raw results (every sample), for anyone who wants to analyse a run further; never committed.
  const jsonName = args.out ? `benchmarks-${basename(args.out)}.json` : quick ? 'benchmarks-quick.json' : 'benchmarks.json';
  if (saveJson) {
    await mkdir('.tmp', { recursive: true });
    await writeFile(join('.tmp', jsonName), `${JSON.stringify(r, null, 2)}\n`);
  }
}

function printSummary(r: BenchResults): void {
  const rows = r.strategies.map((s) => [s.label, formatMs(s.medianMs), formatMs(s.p95Ms), s.key === 'none' ? '–' : formatMs(s.overheadMs), formatRatio(s.ratioToShared)]);
  const header = ['strategy', 'median ms', 'p95 ms', 'overhead ms', 'vs shared'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${fmt(header)}\n${fmt(rows[0]!.map((_, i) => '-'.repeat(widths[i]!)))}`);
  for (const row of rows) console.log(fmt(row));
  console.log(`\nscaling (shared transaction, in-process): ${r.inProcess.map((p) => `${p.count} tests ${formatSeconds(p.ms)} s`).join(', ')}`);
  for (const run of r.vitestSuite) console.log(`vitest, ${run.count} generated ${run.body ?? 'workload'} tests (${run.perFile} per file), ${run.workers} workers: ${run.exitCode === 0 ? `${formatSeconds(run.wallMs)} s` : `failed (exit ${run.exitCode})`}`);
  for (const run of [...(r.npmTest?.runs ?? []), ...(r.npmTest?.processes ? [r.npmTest.processes] : [])]) console.log(`${run.command}: ${run.exitCode === 0 ? `${formatSeconds(run.wallMs)} s, ${run.testsPassed} tests passed` : `failed (exit ${run.exitCode})`}`);
  for (const run of r.e2eWorkers) console.log(`vitest src/e2e, ${run.workers} worker(s): ${run.exitCode === 0 ? `${formatSeconds(run.wallMs)} s` : `failed (exit ${run.exitCode})`}`);
  console.log(r.quick ? '\ntargets (quick mode: too few samples to judge; shown, not asserted):' : '\ntargets:');
  for (const c of checkTargets(r)) console.log(`  ${c.status.toUpperCase().padEnd(12)}  ${c.target} (goal ${c.goal}, must ${c.must}): ${c.measured}${c.verdict ? ` (${c.verdict})` : ''}`);
  console.log(`\nreport: ${outputPaths(r.quick).report}${r.quick ? ' (quick mode: docs/benchmarks.md left alone; no timing is asserted)' : ''}`);
  console.log(`suite files for the Vitest runs: ${SUITE_DIR}/`);
}

async function renderOnly(file: string): Promise<void> {
  const results = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  await writeOutputs(results, false);
  printSummary(results);
}

(args.render ? renderOnly(args.render) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    progress.clear();
    console.error('[bench] failed:', error);
    process.exit(1);
  },
);

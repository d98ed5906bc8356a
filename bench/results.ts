// From raw samples to the figures the report prints, and the targets of the
// issue checked against them. Nothing here measures; everything is derived.
import type { Diagnostics, StatementCount } from './diagnostics.ts';
import type { MachineInfo } from './machine.ts';
import type { Sample } from './measure.ts';
import { median, p95, quantile } from './stats.ts';
import type { StrategyKey } from './strategies.ts';
import type { SuiteBody, VitestRun } from './vitest-runs.ts';

export interface StrategySummary {
  key: StrategyKey;
  label: string;
  description: string;
  tests: number;
  medianMs: number;
  p95Ms: number;
  /** Median of this strategy minus median of none. */
  overheadMs: number;
  /** Median over rounds of (this test - none's test of the same round): the same overhead, estimated pairwise. */
  pairedOverheadMs: number;
  /** Median per test divided by the shared transaction's. */
  ratioToShared: number;
  /** Median milliseconds of each phase. */
  phases: Record<string, number>;
  connections: number;
  requests: number;
  statements?: StatementCount;
  /** Every timed test's total, in run order (kept for the JSON dump, not printed). */
  totalsMs: number[];
}

export interface ScalingPoint {
  count: number;
  /** Median of the runs. */
  ms: number;
  /** Every run's wall time. */
  runsMs: number[];
  /** Wall time of each consecutive block of `blockSize` tests within the median run. */
  blocksMs: number[];
  blockSize: number;
}

/** One point of the rows-per-test axis: each strategy's overhead over none (median ms per test). */
export interface RowsPoint {
  rows: number;
  noneMs: number;
  overheadMs: Partial<Record<StrategyKey, number>>;
  /** Standard error of each overhead (absent in runs made before it was kept). */
  noiseMs?: Partial<Record<StrategyKey, number>>;
}

/** One point of the tables axis: the same as a rows point, for a schema of `tables` tables. */
export interface TablesPoint {
  tables: number;
  noneMs: number;
  overheadMs: Partial<Record<StrategyKey, number>>;
  noiseMs: Partial<Record<StrategyKey, number>>;
}

/** The target's generated suite on another Node binary (`--also-node`). */
export interface OtherNodeRun {
  version: string;
  /** Whether that Node has `--experimental-async-context-frame`, which vitest.config.ts then passes to the workers. */
  asyncContextFrame: boolean;
  /** The median of its runs, with every run's wall time. */
  run: VitestRun;
  /** When `asyncContextFrame`: the same runs with the workers started without it. */
  withoutFlag?: VitestRun;
  /**
   * Medians of the differences within each round (the machine drifts between rounds more than these
   * differ): the other Node without the flag less this run's Node, and the flag (with less without).
   * Wall and Vitest CPU, in ms; absent when a run failed.
   */
  paired?: { rounds: number; nodeWallMs: number; nodeCpuMs?: number; flagWallMs?: number; flagCpuMs?: number };
}

export interface BenchResults {
  quick: boolean;
  date: string;
  machine: MachineInfo;
  warmupRounds: number;
  rounds: number;
  strategies: StrategySummary[];
  /** Wall time of N back-to-back tests under the shared transaction, in this process. */
  inProcess: ScalingPoint[];
  /** Generated Vitest suites (2 workers), when run; `body` undefined: the workload (results written before empty suites existed). */
  vitestSuite: (VitestRun & { count: number; perFile: number; body?: SuiteBody })[];
  /** With `--also-node`: the target's suite run with another Node, interleaved with this run's own. */
  otherNode?: OtherNodeRun;
  /** The repository's E2E suite under 1 and 2 workers, when run. */
  e2eWorkers: VitestRun[];
  /** Why the Vitest runs were skipped, if they were. */
  vitestSkipped?: string;
  diagnostics: Diagnostics;
  /** none and the kit alone, alternating, for a quieter estimate of the kit's overhead. */
  headToHead: HeadToHead;
  /** none and DELETE alone, the same way (its `kit*` fields hold DELETE's figures); absent in older runs. */
  deleteHeadToHead?: HeadToHead;
  /** DELETE and the kit alone, alternating (its `none*` fields hold DELETE's figures, `overheadMs` is the kit less DELETE); absent in older runs. */
  kitVsDelete?: HeadToHead;
  /** The kit, TRUNCATE and DELETE as rows per test grow (absent in runs made before the axis existed). */
  rowsAxis?: RowsPoint[];
  /** Measured rounds of each point of the rows and tables axes. */
  axisRounds?: number;
  /** The same, as the schema grows: the demo's tables plus empty ones (absent in runs made before the axis existed). */
  tablesAxis?: TablesPoint[];
  /** `npm test` as a user runs it (spawn to exit, its own embedded PostgreSQL), twice, and `npm run test:processes` once; absent in quick mode. */
  npmTest?: { runs: VitestRun[]; processes?: VitestRun };
  /** Median ms per test: blocks in one transaction with one login (suite scope), a transaction per test, commit + TRUNCATE. */
  suiteScope?: { testsPerBlock: number; blocks: number; suiteMs: number; testMs: number; truncateMs: number };
  /**
   * The 1-minute load average before the run, before the Vitest runs (this
   * process alone, single-threaded, adds about 1 to 2 with PostgreSQL) and
   * after them (the Vitest workers add more). More than that is other work.
   */
  load: { start: number; beforeVitest?: number; end: number };
  /** The checkpoint forced before the Vitest runs, and how (absent in results of older runs). */
  checkpointBeforeVitest?: { by: 'CHECKPOINT' | 'DROP DATABASE'; ms: number };
  /** Lines of code (blanks and comments aside) of bench/*.ts and of the kit, src/testing/*.ts. */
  codeLines?: { bench: number; kit: number };
  /** Total wall time of the benchmark run, PostgreSQL start excluded. */
  benchWallMs: number;
}

export function summarise(
  samples: Map<StrategyKey, Sample[]>,
  labels: Map<StrategyKey, { label: string; description: string; connections: number; requests: number }>,
  statements: Map<StrategyKey, StatementCount | undefined>,
): StrategySummary[] {
  const totals = (key: StrategyKey) => (samples.get(key) ?? []).map((s) => s.totalMs);
  const noneTotals = totals('none');
  const noneMedian = median(noneTotals);
  const sharedMedian = median(totals('shared'));
  return [...samples.keys()].map((key) => {
    const list = samples.get(key)!;
    const t = totals(key);
    const phases = phaseMedians(list);
    const paired = t.map((ms, i) => ms - (noneTotals[i] ?? Number.NaN)).filter(Number.isFinite);
    const overheadMs = median(t) - noneMedian;
    const info = labels.get(key)!;
    return {
      key,
      label: info.label,
      description: info.description,
      tests: t.length,
      medianMs: median(t),
      p95Ms: p95(t),
      overheadMs,
      pairedOverheadMs: median(paired),
      ratioToShared: median(t) / sharedMedian,
      phases,
      connections: info.connections,
      requests: info.requests,
      statements: statements.get(key),
      totalsMs: t,
    };
  });
}

/**
 * How a target came out: its goal met; its must-reach met but the goal missed;
 * met (a target with no goal); missed; split when the kit's two overhead estimates land on different
 * levels; flat / grows for the rows axis; not measured (quick mode).
 */
export type Status = 'goal met' | 'must met' | 'met' | 'missed' | 'split' | 'flat' | 'grows' | 'not measured';

export interface TargetCheck {
  target: string;
  goal: string;
  must: string;
  measured: string;
  status: Status;
  /** The verdict in words, with its margin. */
  verdict: string;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const s = (v: number) => `${(v / 1000).toFixed(2)} s`;

export interface HeadToHead {
  pairs: number;
  noneMedianMs: number;
  kitMedianMs: number;
  overheadMs: number;
  pairedOverheadMs: number;
  /** Median ms of each phase, for none and for the kit. */
  nonePhases: Record<string, number>;
  kitPhases: Record<string, number>;
}

function phaseMedians(samples: Sample[]): Record<string, number> {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.phases)))];
  return Object.fromEntries(names.map((name) => [name, median(samples.map((s) => s.phases[name] ?? 0))]));
}

/** Head-to-head figures from the raw samples of the two strategies. */
export function headToHeadSummary(none: Sample[], kit: Sample[]): HeadToHead {
  const noneTotals = none.map((s) => s.totalMs);
  const kitTotals = kit.map((s) => s.totalMs);
  const paired = kitTotals.map((ms, i) => ms - noneTotals[i]!);
  return {
    pairs: Math.min(none.length, kit.length),
    noneMedianMs: median(noneTotals),
    kitMedianMs: median(kitTotals),
    overheadMs: median(kitTotals) - median(noneTotals),
    pairedOverheadMs: median(paired),
    nonePhases: phaseMedians(none),
    kitPhases: phaseMedians(kit),
  };
}

/**
 * The two estimates of the kit's overhead: the five-way run (side by side with
 * every strategy, as the issue asks) and head to head against none alone.
 */
export function kitOverheadEstimates(r: BenchResults): { fiveWay: number; headToHead: number } {
  return { fiveWay: r.strategies.find((st) => st.key === 'shared')!.overheadMs, headToHead: r.headToHead.overheadMs };
}

/** Level 0: goal met; 1: must met, goal missed; 2: missed. Lower values are better. */
function grade(value: number, goal: number, must: number, fmt: (v: number) => string): { level: 0 | 1 | 2; words: string } {
  if (value <= goal) return { level: 0, words: `${fmt(goal - value)} to spare` };
  if (value <= must) return { level: 1, words: `goal missed by ${fmt(value - goal)}` };
  return { level: 2, words: `must missed by ${fmt(value - must)}, the goal by ${fmt(value - goal)}` };
}

const STATUS_OF_LEVEL: Status[] = ['goal met', 'must met', 'missed'];

/** One target, graded on one figure or on several estimates of it (split when they land on different levels). */
function graded(target: Omit<TargetCheck, 'status' | 'verdict'>, estimates: [string, number][], goal: number, must: number, fmt: (v: number) => string): TargetCheck {
  const grades = estimates.map(([name, value]) => ({ name, ...grade(value, goal, must, fmt) }));
  const status = new Set(grades.map((g) => g.level)).size > 1 ? 'split' : STATUS_OF_LEVEL[grades[0]!.level]!;
  const verdict = grades.length === 1 ? grades[0]!.words : grades.map((g) => `${g.name} ${STATUS_OF_LEVEL[g.level]}, ${g.words}`).join('; ');
  return { ...target, status, verdict };
}

/**
 * Standard error of a median, robustly: σ estimated from the interquartile
 * range (IQR / 1.349), and SE(median) ≈ 1.2533 σ / √n.
 */
export function medianStandardError(values: readonly number[]): number {
  const iqr = quantile(values, 0.75) - quantile(values, 0.25);
  return (1.2533 * (iqr / 1.349)) / Math.sqrt(values.length);
}

/**
 * One point of an axis (rows per test, tables in the schema) from its
 * interleaved samples: each strategy's overhead over none (difference of
 * medians) and the standard error of that difference.
 */
export function axisPoint(samples: Map<StrategyKey, Sample[]>): { noneMs: number; overheadMs: Partial<Record<StrategyKey, number>>; noiseMs: Partial<Record<StrategyKey, number>> } {
  const totals = (key: StrategyKey) => (samples.get(key) ?? []).map((sample) => sample.totalMs);
  const none = totals('none');
  const keys = [...samples.keys()].filter((key) => key !== 'none');
  return {
    noneMs: median(none),
    overheadMs: Object.fromEntries(keys.map((key) => [key, median(totals(key)) - median(none)])),
    noiseMs: Object.fromEntries(keys.map((key) => [key, Math.hypot(medianStandardError(totals(key)), medianStandardError(none))])),
  };
}

/**
 * The rows-per-test verdict: the kit is flat when its overhead at the most
 * rows exceeds its overhead at the fewest by no more than twice the standard
 * error of that growth (about a 95% band); a fall counts as flat.
 */
export function rowsGrowth(points: RowsPoint[]): { from: RowsPoint; to: RowsPoint; growthMs: number; bandMs: number; flat: boolean } | undefined {
  if (points.length < 2) return undefined;
  const from = points[0]!;
  const to = points.at(-1)!;
  const growthMs = to.overheadMs.shared! - from.overheadMs.shared!;
  const bandMs = 2 * Math.hypot(from.noiseMs?.shared ?? 0, to.noiseMs?.shared ?? 0);
  return { from, to, growthMs, bandMs, flat: growthMs <= bandMs };
}

export function checkTargets(r: BenchResults): TargetCheck[] {
  const del = r.strategies.find((st) => st.key === 'delete')!;
  const est = kitOverheadEstimates(r);
  const checks: TargetCheck[] = [];
  const notMeasured = (target: Omit<TargetCheck, 'status' | 'verdict' | 'measured'>, why: string): TargetCheck => ({ ...target, measured: why, status: 'not measured', verdict: '' });

  // `npm test`: the median of the passing runs; failed runs are named, never timed.
  const npmTarget = { target: '`npm test` wall time on 2 cores, warm install (spawn to exit, its own embedded PostgreSQL)', goal: '≤ 10 s', must: '≤ 20 s' };
  const runs = r.npmTest?.runs ?? [];
  const passed = runs.filter((run) => run.exitCode === 0);
  if (runs.length === 0) checks.push(notMeasured(npmTarget, r.quick ? 'not run (quick mode)' : 'not run'));
  else {
    const measured = `${runs.map((run, i) => `run ${i + 1}: ${run.exitCode === 0 ? s(run.wallMs) : `failed (exit ${run.exitCode})`}`).join(', ')}` + (passed.length ? `; median ${s(median(passed.map((run) => run.wallMs)))}` : '');
    if (passed.length === 0) checks.push({ ...npmTarget, measured, status: 'missed', verdict: 'every run failed' });
    else {
      const check = graded({ ...npmTarget, measured }, [['median', median(passed.map((run) => run.wallMs))]], 10_000, 20_000, s);
      checks.push(passed.length < runs.length ? { ...check, verdict: `${check.verdict} (on the passing runs only)` } : check);
    }
  }

  const suiteTarget = { target: '1,000 generated Vitest tests in 20 files, 2 workers (spawn to exit; PostgreSQL start excluded)', goal: '≤ 5 s', must: '≤ 8 s' };
  const suite1000 = r.vitestSuite.find((run) => run.count === 1000 && run.perFile === 50 && run.body !== 'empty');
  if (!suite1000) checks.push(notMeasured(suiteTarget, `not run (${r.vitestSkipped ?? 'quick mode'})`));
  else if (suite1000.exitCode !== 0) checks.push({ ...suiteTarget, measured: `run failed (exit ${suite1000.exitCode})`, status: 'missed', verdict: 'see the run output in Scaling' });
  else {
    const runs = suite1000.wallRunsMs ? ` (median of ${suite1000.wallRunsMs.length} runs: ${suite1000.wallRunsMs.map(s).join(', ')})` : '';
    checks.push(graded({ ...suiteTarget, measured: `${s(suite1000.wallMs)}${runs}` }, [['', suite1000.wallMs]], 5_000, 8_000, s));
  }

  const kit = r.strategies.find((st) => st.key === 'shared')!;
  checks.push(
    graded(
      {
        target: "Kit's overhead per test over none (median), in both estimates",
        goal: '≤ 0.5 ms',
        must: '≤ 0.8 ms',
        measured:
          `five-way ${ms(est.fiveWay)} (paired: ${ms(kit.pairedOverheadMs)}); ` +
          `head to head, ${r.headToHead.pairs} pairs, ${ms(est.headToHead)} (paired: ${ms(r.headToHead.pairedOverheadMs)})`,
      },
      [
        ['five-way', est.fiveWay],
        ['head to head', est.headToHead],
      ],
      0.5,
      0.8,
      ms,
    ),
  );

  // Below DELETE, like for like: the kit's five-way estimate against DELETE's five-way one, and the
  // kit's head-to-head estimate against DELETE's own head to head with none (five-way in older runs).
  const deleteHeadToHead = r.deleteHeadToHead?.overheadMs ?? del.overheadMs;
  const below = (['five-way', 'head to head'] as const).map((name, i) => ({ name, diff: [est.fiveWay, est.headToHead][i]! - [del.overheadMs, deleteHeadToHead][i]! }));
  const belowCount = below.filter((b) => b.diff < 0).length;
  checks.push({
    target: "Kit's overhead below commit + DELETE's in the same run",
    goal: '—',
    must: 'required',
    measured:
      `five-way: kit ${signed(est.fiveWay)}, DELETE ${signed(del.overheadMs)}; ` +
      `head to head: kit ${signed(est.headToHead)}, DELETE ${signed(deleteHeadToHead)}${r.deleteHeadToHead ? '' : ' (five-way; no head to head in this run)'}`,
    status: belowCount === 2 ? 'met' : belowCount === 0 ? 'missed' : 'split',
    verdict: below.map((b) => `${b.name}: ${ms(Math.abs(b.diff))} ${b.diff < 0 ? 'below' : 'above'} DELETE's`).join('; '),
  });

  const rowsTarget = { target: "Kit's overhead as rows per test grow (TRUNCATE and DELETE beside it)", goal: 'flat', must: '—' };
  const growth = rowsGrowth(r.rowsAxis ?? []);
  const axisCell = (p: RowsPoint) =>
    `${p.rows} rows: kit ${signed(p.overheadMs.shared!)}, TRUNCATE ${signed(p.overheadMs.truncate!)}, DELETE ${signed(p.overheadMs.delete!)}`;
  if (!growth) checks.push(notMeasured(rowsTarget, 'fewer than two row counts'));
  else {
    checks.push({
      ...rowsTarget,
      measured: `${(r.rowsAxis ?? []).map(axisCell).join('; ')}; the kit's growth ${signed(growth.growthMs)}`,
      status: growth.flat ? 'flat' : 'grows',
      verdict:
        `${signed(growth.growthMs)} from ${growth.from.rows} to ${growth.to.rows} rows, ` +
        `${growth.flat ? 'within' : 'beyond'} the noise band of ${ms(growth.bandMs)} (twice the standard error of the growth, from the spread of the samples)`,
    });
  }
  return checks;
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${ms(Math.abs(v))}`;

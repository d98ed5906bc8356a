// From raw samples to the figures the report prints, and the targets of the
// issue checked against them. Nothing here measures; everything is derived.
import type { Diagnostics, StatementCount } from './diagnostics.ts';
import type { MachineInfo } from './machine.ts';
import type { Sample } from './measure.ts';
import { median, p95 } from './stats.ts';
import type { StrategyKey } from './strategies.ts';
import type { VitestRun } from './vitest-runs.ts';

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
  /** Generated Vitest suites of the workload (2 workers), when run. */
  vitestSuite: (VitestRun & { count: number; perFile: number })[];
  /** The repository's E2E suite under 1 and 2 workers, when run. */
  e2eWorkers: VitestRun[];
  /** Why the Vitest runs were skipped, if they were. */
  vitestSkipped?: string;
  diagnostics: Diagnostics;
  /** none and the kit alone, alternating, for a quieter estimate of the kit's overhead. */
  headToHead: HeadToHead;
  /** The kit, TRUNCATE and DELETE as rows per test grow (absent in runs made before the axis existed). */
  rowsAxis?: RowsPoint[];
  /** Median ms per test: blocks in one transaction with one login (suite scope), a transaction per test, commit + TRUNCATE. */
  suiteScope?: { testsPerBlock: number; blocks: number; suiteMs: number; testMs: number; truncateMs: number };
  /**
   * The 1-minute load average before the run, before the Vitest runs (this
   * process alone, single-threaded, adds about 1 to 2 with PostgreSQL) and
   * after them (the Vitest workers add more). More than that is other work.
   */
  load: { start: number; beforeVitest?: number; end: number };
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

/** met / missed; split when the two estimates of the kit's overhead fall on either side; not measured in quick mode. */
export type Verdict = 'met' | 'missed' | 'split' | 'not measured';

export interface TargetCheck {
  target: string;
  measured: string;
  verdict: Verdict;
  /** By how much it was met or missed, in words. */
  margin: string;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
const x = (v: number) => `${v.toFixed(1)}x`;

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

function verdictOf(results: boolean[]): Verdict {
  return results.every(Boolean) ? 'met' : results.some(Boolean) ? 'split' : 'missed';
}

export function checkTargets(r: BenchResults): TargetCheck[] {
  const by = (key: StrategyKey) => r.strategies.find((st) => st.key === key)!;
  const kit = by('shared');
  const checks: TargetCheck[] = [];
  const est = kitOverheadEstimates(r);

  // Target 1 holds only if both estimates are within budget; "split" says they disagree.
  const worst = Math.max(est.fiveWay, est.headToHead);
  const verdict1 = verdictOf([est.fiveWay <= 1, est.headToHead <= 1]);
  checks.push({
    target: "Kit's isolation overhead over none ≤ 1 ms per test (median)",
    measured:
      `five-way run ${ms(est.fiveWay)} (median of paired differences: ${ms(kit.pairedOverheadMs)}); ` +
      `head to head over ${r.headToHead.pairs} pairs ${ms(est.headToHead)} (paired: ${ms(r.headToHead.pairedOverheadMs)})`,
    verdict: verdict1,
    margin:
      verdict1 === 'met'
        ? `${ms(1 - worst)} to spare on the larger estimate`
        : verdict1 === 'missed'
          ? `missed by ${ms(Math.min(est.fiveWay, est.headToHead) - 1)} to ${ms(worst - 1)}`
          : `met by one estimate, missed by ${ms(worst - 1)} on the other: the overhead is about the budget, and runs on this machine land on either side`,
  });

  // Targets 2 and 3: the strategy's overhead (five-way run) against each estimate of the kit's.
  for (const [key, factor] of [
    ['truncate', 10],
    ['database', 50],
  ] as const) {
    const st = by(key);
    if (Math.max(est.fiveWay, est.headToHead) <= 0) {
      // With durable commits the floor commits and the kit does not: the kit costs less than none, and a ratio means nothing.
      checks.push({
        target: `${st.label} overhead ≥ ${factor}x the kit's`,
        measured: `${ms(st.overheadMs)} against the kit's ${ms(est.fiveWay)} (same run) and ${ms(est.headToHead)} (head to head): the kit costs less than no isolation here`,
        verdict: 'met',
        margin: 'no ratio: the kit adds nothing over none on this server',
      });
      continue;
    }
    const ratios = [est.fiveWay, est.headToHead].map((k) => (k > 0 ? st.overheadMs / k : Number.POSITIVE_INFINITY));
    const [r5, rh] = ratios as [number, number];
    const verdict = verdictOf(ratios.map((ratio) => ratio >= factor));
    const low = Math.min(r5, rh);
    checks.push({
      target: `${st.label} overhead ≥ ${factor}x the kit's`,
      measured: `${ms(st.overheadMs)} / ${ms(est.fiveWay)} (kit, same run) = ${x(r5)}; / ${ms(est.headToHead)} (kit, head to head) = ${x(rh)}`,
      verdict,
      margin:
        verdict === 'met'
          ? `${x(low / factor)} the required factor on the lower ratio`
          : verdict === 'missed'
            ? `${x(Math.max(r5, rh))} at best instead of ${factor}x`
            : `met against the kit's same-run overhead, missed against the head-to-head one (${x(low)} instead of ${factor}x)`,
    });
  }

  const thousand = r.inProcess.find((p) => p.count === 1000);
  const hundred = r.inProcess.find((p) => p.count === 100);
  if (thousand) {
    checks.push({
      target: '1,000 tests ≤ 10 s wall (in-process, one Node thread, PostgreSQL start excluded)',
      measured: s(thousand.ms),
      verdict: thousand.ms <= 10_000 ? 'met' : 'missed',
      margin: thousand.ms <= 10_000 ? `${s(10_000 - thousand.ms)} to spare` : `missed by ${s(thousand.ms - 10_000)} (${x(thousand.ms / 10_000)} the budget)`,
    });
  } else {
    checks.push({ target: '1,000 tests ≤ 10 s wall (in-process)', measured: 'not run (quick mode)', verdict: 'not measured', margin: '' });
  }
  const suite1000 = r.vitestSuite.find((run) => run.count === 1000 && run.perFile === 50);
  if (suite1000) {
    const ok = suite1000.exitCode === 0;
    checks.push({
      target: '1,000 Vitest tests of the workload ≤ 10 s wall on 2 workers (50 tests per file; Vitest start-up included, PostgreSQL start excluded)',
      measured: ok ? s(suite1000.wallMs) : `run failed (exit ${suite1000.exitCode})`,
      verdict: ok && suite1000.wallMs <= 10_000 ? 'met' : 'missed',
      margin: !ok ? 'see the run output below' : suite1000.wallMs <= 10_000 ? `${s(10_000 - suite1000.wallMs)} to spare` : `missed by ${s(suite1000.wallMs - 10_000)} (${x(suite1000.wallMs / 10_000)} the budget)`,
    });
  }
  if (thousand && hundred) {
    const ratio = thousand.ms / hundred.ms;
    checks.push({
      target: '1,000 tests ≤ 10.5x the time of 100 (in-process)',
      measured: `${s(thousand.ms)} / ${s(hundred.ms)} = ${x(ratio)}`,
      verdict: ratio <= 10.5 ? 'met' : 'missed',
      margin:
        (ratio <= 10.5 ? `${(10.5 - ratio).toFixed(2)}x to spare` : `missed by ${(ratio - 10.5).toFixed(2)}x`) +
        (Math.abs(ratio - 10.5) < 1 ? '; on the line: the runs of one count differ by more than that (see the scaling table)' : ''),
    });
  }
  return checks;
}

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

export interface TargetCheck {
  target: string;
  measured: string;
  /** True met, false missed, undefined not measured in this run. */
  met: boolean | undefined;
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
 * The kit's overhead the targets are judged on: the larger of the two
 * estimates (five-way run, head to head), so the verdict never rests on the
 * more flattering one.
 */
export function kitOverheadForTargets(r: BenchResults): { ms: number; source: string } {
  const fiveWay = r.strategies.find((st) => st.key === 'shared')!.overheadMs;
  return fiveWay >= r.headToHead.overheadMs ? { ms: fiveWay, source: 'five-way run' } : { ms: r.headToHead.overheadMs, source: 'head to head' };
}

export function checkTargets(r: BenchResults): TargetCheck[] {
  const by = (key: StrategyKey) => r.strategies.find((st) => st.key === key)!;
  const kit = by('shared');
  const checks: TargetCheck[] = [];

  const judged = kitOverheadForTargets(r);
  const kitOverhead = judged.ms;
  checks.push({
    target: "Kit's isolation overhead over none ≤ 1 ms per test (median; judged on the larger of the two differences of medians)",
    measured:
      `five-way run ${ms(kit.overheadMs)} (paired per round: ${ms(kit.pairedOverheadMs)}); ` +
      `head to head over ${r.headToHead.pairs} pairs ${ms(r.headToHead.overheadMs)} (paired: ${ms(r.headToHead.pairedOverheadMs)}); judged: ${ms(kitOverhead)} (${judged.source})`,
    met: kitOverhead <= 1,
    margin:
      (kitOverhead <= 1 ? `${ms(1 - kitOverhead)} to spare` : `missed by ${ms(kitOverhead - 1)} (${x(kitOverhead)} the budget)`) +
      (Math.abs(kitOverhead - 1) < 0.15 ? '; on the line: within what the estimates differ by, so another run can land on the other side' : ''),
  });

  for (const [key, factor] of [
    ['truncate', 10],
    ['database', 50],
  ] as const) {
    const st = by(key);
    if (kitOverhead <= 0) {
      checks.push({
        target: `${st.label} overhead ≥ ${factor}x the kit's`,
        measured: `${ms(st.overheadMs)} vs a kit overhead of ${ms(kitOverhead)} (not above noise)`,
        met: st.overheadMs > 0,
        margin: 'the kit adds nothing measurable, so any positive overhead is infinitely larger',
      });
      continue;
    }
    const ratio = st.overheadMs / kitOverhead;
    checks.push({
      target: `${st.label} overhead ≥ ${factor}x the kit's`,
      measured: `${ms(st.overheadMs)} / ${ms(kitOverhead)} (kit, ${judged.source}) = ${x(ratio)}`,
      met: ratio >= factor,
      margin: ratio >= factor ? `${x(ratio / factor)} the required factor` : `missed: ${x(ratio)} instead of ${factor}x (${x(factor / ratio)} short)`,
    });
  }

  const thousand = r.inProcess.find((p) => p.count === 1000);
  const hundred = r.inProcess.find((p) => p.count === 100);
  if (thousand) {
    checks.push({
      target: '1,000 tests ≤ 10 s wall (in-process, one Node thread, PostgreSQL start excluded)',
      measured: s(thousand.ms),
      met: thousand.ms <= 10_000,
      margin: thousand.ms <= 10_000 ? `${s(10_000 - thousand.ms)} to spare` : `missed by ${s(thousand.ms - 10_000)} (${x(thousand.ms / 10_000)} the budget)`,
    });
  } else {
    checks.push({ target: '1,000 tests ≤ 10 s wall (in-process)', measured: 'not run (quick mode)', met: undefined, margin: '' });
  }
  const suite1000 = r.vitestSuite.find((run) => run.count === 1000 && run.perFile === 50);
  if (suite1000) {
    const ok = suite1000.exitCode === 0;
    checks.push({
      target: '1,000 Vitest tests of the workload ≤ 10 s wall on 2 workers (50 tests per file; Vitest start-up included, PostgreSQL start excluded)',
      measured: ok ? s(suite1000.wallMs) : `run failed (exit ${suite1000.exitCode})`,
      met: ok ? suite1000.wallMs <= 10_000 : false,
      margin: !ok ? 'see the run output below' : suite1000.wallMs <= 10_000 ? `${s(10_000 - suite1000.wallMs)} to spare` : `missed by ${s(suite1000.wallMs - 10_000)} (${x(suite1000.wallMs / 10_000)} the budget)`,
    });
  }
  if (thousand && hundred) {
    const ratio = thousand.ms / hundred.ms;
    checks.push({
      target: '1,000 tests ≤ 10.5x the time of 100 (in-process)',
      measured: `${s(thousand.ms)} / ${s(hundred.ms)} = ${x(ratio)}`,
      met: ratio <= 10.5,
      margin:
        (ratio <= 10.5 ? `${(10.5 - ratio).toFixed(2)}x to spare` : `missed by ${(ratio - 10.5).toFixed(2)}x`) +
        (Math.abs(ratio - 10.5) < 1 ? '; on the line: the runs of one count differ by more than that (see the scaling table)' : ''),
    });
  }
  return checks;
}

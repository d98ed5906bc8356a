// The report's two charts as Mermaid `xychart-beta` blocks, which GitHub
// renders from the Markdown itself: no image files to keep in step with the figures.
import type { BenchResults } from './results.ts';

const number = (value: number) => Number(value.toFixed(2)).toString();

/** Per-test cost of each strategy (median ms per test), one bar each. */
export function costChart(r: BenchResults): string[] {
  const max = Math.max(...r.strategies.map((s) => s.p95Ms));
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Median ms per test by isolation strategy (lower is better)"',
    `  x-axis [${r.strategies.map((s) => `"${s.label}"`).join(', ')}]`,
    `  y-axis "ms per test" 0 --> ${Math.ceil(max)}`,
    `  bar [${r.strategies.map((s) => number(s.medianMs)).join(', ')}]`,
    '```',
  ];
}

/** Wall time against number of tests: the kit in-process, and the generated Vitest suites. Returns no lines without data. */
export function scalingChart(r: BenchResults): { lines: string[]; legend: string[] } {
  const counts = r.inProcess.map((p) => p.count);
  if (counts.length === 0) return { lines: [], legend: [] };
  const series: { name: string; values: number[] }[] = [{ name: 'shared transaction, in-process', values: r.inProcess.map((p) => p.ms / 1000) }];
  const vitest = counts.map((count) => r.vitestSuite.find((run) => run.count === count && run.perFile === 50 && run.body !== 'empty' && run.exitCode === 0));
  if (vitest.every(Boolean)) series.push({ name: 'Vitest, 2 workers, 50 tests per file', values: vitest.map((run) => run!.wallMs / 1000) });
  series.push({ name: 'target: 10 ms per test', values: counts.map((count) => count / 100) });
  const max = Math.max(...series.flatMap((s) => s.values));
  return {
    lines: [
      '```mermaid',
      'xychart-beta',
      '  title "Wall time (s) against number of tests"',
      `  x-axis "tests" [${counts.join(', ')}]`,
      `  y-axis "seconds" 0 --> ${Math.ceil(max)}`,
      ...series.map((s) => `  line [${s.values.map(number).join(', ')}]`),
      '```',
    ],
    legend: series.map((s, i) => `${i + 1}. ${s.name}`),
  };
}

/** Overhead over none of the kit, TRUNCATE and DELETE along an axis (rows per test, tables in the schema), one line each. */
export function axisChart(title: string, xLabel: string, points: { x: number; overheadMs: Partial<Record<string, number>> }[]): { lines: string[]; legend: string[] } {
  const series = (['shared', 'truncate', 'delete'] as const).map((key) => ({ name: { shared: 'kit', truncate: 'commit + TRUNCATE', delete: 'commit + DELETE' }[key], values: points.map((p) => p.overheadMs[key] ?? 0) }));
  const all = series.flatMap((s) => s.values);
  return {
    lines: [
      '```mermaid',
      'xychart-beta',
      `  title "${title}"`,
      `  x-axis "${xLabel}" [${points.map((p) => p.x).join(', ')}]`,
      `  y-axis "ms per test over none" ${Math.min(0, Math.floor(Math.min(...all)))} --> ${Math.ceil(Math.max(...all, 1))}`,
      ...series.map((s) => `  line [${s.values.map(number).join(', ')}]`),
      '```',
    ],
    legend: series.map((s) => s.name),
  };
}

// Order statistics for the timings. Percentiles use linear interpolation
// between the closest ranks (the "R-7" definition spreadsheets use), so the
// median of an even-sized sample is the mean of its two middle values.

/** The q-quantile (0..1) of `values`; NaN for an empty sample. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (position - lower);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const p95 = (values: readonly number[]): number => quantile(values, 0.95);

/** Milliseconds with a precision that suits their size: 0.42, 3.1, 57, 1234. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const abs = Math.abs(ms);
  if (abs < 10) return ms.toFixed(2);
  if (abs < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** Seconds with two decimals, from milliseconds. */
export function formatSeconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a';
}

/** A ratio such as `12.3x`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio >= 100 ? `${ratio.toFixed(0)}x` : ratio >= 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`;
}

// The two charts of the report, written as plain SVG (no chart dependency):
// per-test cost by strategy, and wall time against test count.

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round axis step giving about `target` ticks up to `max`: 1, 2 or 5 times a power of ten. */
function niceStep(max: number, target = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

function tickLabel(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 1 ? 2 : 1);
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

export interface CostBar {
  label: string;
  /** The workload's own cost (median of "none"). */
  floorMs: number;
  /** Median per-test cost of this strategy. */
  medianMs: number;
  p95Ms: number;
  highlight?: boolean;
}

/** Horizontal bars: the workload floor in grey, the isolation overhead on top, a whisker to the p95. */
export function costChart(bars: CostBar[], title: string): string {
  const width = 760;
  const left = 200;
  const right = 90;
  const top = 48;
  const rowHeight = 38;
  const plotWidth = width - left - right;
  const height = top + bars.length * rowHeight + 78;
  const max = Math.max(...bars.map((b) => Math.max(b.p95Ms, b.medianMs)), 1e-9);
  const step = niceStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const x = (ms: number) => left + (Math.max(0, ms) / axisMax) * plotWidth;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="13">`);
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${left}" y="22" font-size="15" font-weight="600" fill="#1f2933">${esc(title)}</text>`);
  const axisY = top + bars.length * rowHeight;
  for (let v = 0; v <= axisMax + step / 2; v += step) {
    const gx = x(v).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${axisY}" stroke="#e4e7eb"/>`);
    parts.push(`<text x="${gx}" y="${axisY + 18}" text-anchor="middle" fill="#52606d">${tickLabel(v)}</text>`);
  }
  parts.push(`<text x="${left + plotWidth / 2}" y="${axisY + 40}" text-anchor="middle" fill="#52606d">milliseconds per test (bar: median; whisker: p95)</text>`);

  bars.forEach((bar, i) => {
    const y = top + i * rowHeight + 8;
    const h = 20;
    const floor = Math.min(bar.floorMs, bar.medianMs);
    parts.push(`<text x="${left - 10}" y="${y + 15}" text-anchor="end" fill="#1f2933"${bar.highlight ? ' font-weight="600"' : ''}>${esc(bar.label)}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${(x(floor) - left).toFixed(1)}" height="${h}" fill="#9aa5b1"><title>workload floor ${floor.toFixed(2)} ms</title></rect>`);
    if (bar.medianMs > floor) {
      parts.push(
        `<rect x="${x(floor).toFixed(1)}" y="${y}" width="${(x(bar.medianMs) - x(floor)).toFixed(1)}" height="${h}" fill="${bar.highlight ? '#2f9e44' : '#e8590c'}"><title>isolation overhead ${(bar.medianMs - floor).toFixed(2)} ms</title></rect>`,
      );
    }
    const cy = y + h / 2;
    parts.push(`<line x1="${x(bar.medianMs).toFixed(1)}" y1="${cy}" x2="${x(bar.p95Ms).toFixed(1)}" y2="${cy}" stroke="#323f4b" stroke-width="1.5"/>`);
    parts.push(`<line x1="${x(bar.p95Ms).toFixed(1)}" y1="${cy - 6}" x2="${x(bar.p95Ms).toFixed(1)}" y2="${cy + 6}" stroke="#323f4b" stroke-width="1.5"/>`);
    const labelX = Math.max(x(bar.p95Ms), x(bar.medianMs)) + 6;
    parts.push(`<text x="${labelX.toFixed(1)}" y="${y + 15}" fill="#1f2933">${bar.medianMs.toFixed(bar.medianMs < 10 ? 2 : 1)} ms</text>`);
  });

  const legendY = height - 8;
  parts.push(`<rect x="${left}" y="${legendY - 10}" width="12" height="10" fill="#9aa5b1"/><text x="${left + 16}" y="${legendY}" fill="#52606d" font-size="12">workload (median of none)</text>`);
  parts.push(`<rect x="${left + 200}" y="${legendY - 10}" width="12" height="10" fill="#2f9e44"/><text x="${left + 216}" y="${legendY}" fill="#52606d" font-size="12">kit's overhead</text>`);
  parts.push(`<rect x="${left + 330}" y="${legendY - 10}" width="12" height="10" fill="#e8590c"/><text x="${left + 346}" y="${legendY}" fill="#52606d" font-size="12">other strategies' overhead</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: { count: number; ms: number }[];
}

/**
 * Wall seconds against test count, one line per series, with an optional
 * budget drawn as a line through the origin (e.g. 1,000 tests in 10 s is
 * 10 ms per test, at any count).
 */
export function scalingChart(series: Series[], title: string, budget?: { msPerTest: number; label: string }): string {
  const width = 760;
  const height = 400;
  const left = 70;
  const right = 30;
  const top = 50;
  const bottom = 90;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => s.points);
  const maxCount = Math.max(...all.map((p) => p.count), 1);
  const maxSeconds = Math.max(...all.map((p) => p.ms / 1000), 1e-9);
  const xStep = niceStep(maxCount);
  const yStep = niceStep(maxSeconds);
  const xMax = Math.ceil(maxCount / xStep) * xStep;
  const yMax = Math.ceil((maxSeconds * 1.05) / yStep) * yStep;
  const x = (count: number) => left + (count / xMax) * plotW;
  const y = (ms: number) => top + plotH - (ms / 1000 / yMax) * plotH;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="13">`);
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${left}" y="24" font-size="15" font-weight="600" fill="#1f2933">${esc(title)}</text>`);
  for (let v = 0; v <= yMax + yStep / 2; v += yStep) {
    const gy = (top + plotH - (v / yMax) * plotH).toFixed(1);
    parts.push(`<line x1="${left}" y1="${gy}" x2="${left + plotW}" y2="${gy}" stroke="#e4e7eb"/>`);
    parts.push(`<text x="${left - 8}" y="${Number(gy) + 4}" text-anchor="end" fill="#52606d">${tickLabel(v)}</text>`);
  }
  for (let v = 0; v <= xMax + xStep / 2; v += xStep) {
    const gx = x(v).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${top}" x2="${gx}" y2="${top + plotH}" stroke="#f0f2f4"/>`);
    parts.push(`<text x="${gx}" y="${top + plotH + 18}" text-anchor="middle" fill="#52606d">${tickLabel(v)}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${top + plotH + 38}" text-anchor="middle" fill="#52606d">tests</text>`);
  parts.push(`<text transform="translate(18 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#52606d">wall seconds</text>`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#9aa5b1"/>`);

  if (budget) {
    // Clip the budget line to the plot: it ends at the right edge or the top, whichever comes first.
    const endCount = Math.min(xMax, (yMax * 1000) / budget.msPerTest);
    const ex = x(endCount);
    const ey = y(endCount * budget.msPerTest);
    parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${ex.toFixed(1)}" y2="${ey.toFixed(1)}" stroke="#c92a2a" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${(ex - 6).toFixed(1)}" y="${(ey - 8).toFixed(1)}" text-anchor="end" fill="#c92a2a" font-size="12">${esc(budget.label)}</text>`);
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    const path = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.count).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    if (!s.dashed) {
      for (const p of s.points) {
        parts.push(`<circle cx="${x(p.count).toFixed(1)}" cy="${y(p.ms).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(`${s.name}: ${p.count} tests in ${(p.ms / 1000).toFixed(2)} s`)}</title></circle>`);
      }
    }
  }
  // Legend under the axis, one row per two series.
  series.forEach((s, i) => {
    const lx = left + (i % 2) * (plotW / 2);
    const ly = height - 30 + Math.floor(i / 2) * 18;
    parts.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    parts.push(`<text x="${lx + 28}" y="${ly}" fill="#52606d" font-size="12">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

// The interleaved runner. Each round runs one test of every strategy, so slow
// drift of the machine (thermal throttling, a neighbour's load, autovacuum)
// lands on all of them alike. The order rotates each round (A B C D E, then
// B C D E A, ...) so no strategy always runs right after the same other one:
// the database-per-test DROP, say, does not always precede "none".
import { performance } from 'node:perf_hooks';
import type { Progress } from './progress.ts';
import type { Strategy, StrategyKey } from './strategies.ts';
import type { Lap } from './workload.ts';

/** One timed test: its total and the time spent in each named phase. */
export interface Sample {
  totalMs: number;
  phases: Record<string, number>;
}

/** Runs one test of `strategy` and times it, phase by phase. */
export async function timeOne(strategy: Strategy, n: number, extraRows = 0): Promise<Sample> {
  const phases: Record<string, number> = {};
  const start = performance.now();
  let last = start;
  const lap: Lap = (phase) => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - last);
    last = now;
  };
  await strategy.runOne(n, lap, extraRows);
  return { totalMs: performance.now() - start, phases };
}

/** A counter shared by every test of the run, so names built from it never repeat. */
export class TestCounter {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}

export interface InterleavedOptions {
  /** Rounds run first and thrown away: JIT, connection pools and caches warm up. */
  warmupRounds: number;
  rounds: number;
  counter: TestCounter;
  progress: Progress;
  /** Rows each test writes beyond the workload's own (default none). */
  extraRows?: number;
  /** The progress label of the measured rounds. */
  label?: string;
}

export async function runInterleaved(strategies: Strategy[], options: InterleavedOptions): Promise<Map<StrategyKey, Sample[]>> {
  const samples = new Map<StrategyKey, Sample[]>(strategies.map((s) => [s.key, []]));
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    const warm = round < options.warmupRounds;
    for (let i = 0; i < strategies.length; i++) {
      const strategy = strategies[(round + i) % strategies.length]!;
      const sample = await timeOne(strategy, options.counter.next(), options.extraRows);
      if (!warm) samples.get(strategy.key)!.push(sample);
    }
    options.progress.update(warm ? 'warm-up rounds' : (options.label ?? 'interleaved rounds'), warm ? round + 1 : round + 1 - options.warmupRounds, warm ? options.warmupRounds : options.rounds);
  }
  return samples;
}

/**
 * Wall time of `count` tests of one strategy, back to back (the scaling runs),
 * and the time of each block of `blockSize` tests within it: flat blocks mean
 * the cost per test does not grow as a run goes on.
 */
export async function timeSerial(
  strategy: Strategy,
  count: number,
  counter: TestCounter,
  progress: Progress,
  phase: string,
  blockSize = 100,
): Promise<{ ms: number; blocksMs: number[] }> {
  const start = performance.now();
  const blocksMs: number[] = [];
  let blockStart = start;
  const step = Math.max(1, Math.floor(count / 50));
  for (let i = 1; i <= count; i++) {
    await strategy.runOne(counter.next(), () => {});
    if (i % blockSize === 0) {
      const now = performance.now();
      blocksMs.push(now - blockStart);
      blockStart = now;
    }
    if (i % step === 0 || i === count) progress.update(phase, i, count);
  }
  return { ms: performance.now() - start, blocksMs };
}

/**
 * The kit against none alone, in pairs whose order alternates (A B, B A, A B
 * ...): a second, quieter estimate of the kit's overhead, without the heavy
 * neighbours (CREATE DATABASE, TRUNCATE) of the five-way run.
 */
export async function runHeadToHead(
  a: Strategy,
  b: Strategy,
  pairs: number,
  counter: TestCounter,
  progress: Progress,
): Promise<{ a: Sample[]; b: Sample[] }> {
  const out = { a: [] as Sample[], b: [] as Sample[] };
  const step = Math.max(1, Math.floor(pairs / 50));
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? ([a, b] as const) : ([b, a] as const);
    for (const strategy of order) {
      const sample = await timeOne(strategy, counter.next());
      (strategy === a ? out.a : out.b).push(sample);
    }
    if ((i + 1) % step === 0 || i + 1 === pairs) progress.update(`head to head: ${a.label} vs ${b.label}`, i + 1, pairs);
  }
  return out;
}

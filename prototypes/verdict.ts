// What each prototype test observed, attached to the test itself (Vitest task
// meta), so that scripts/verdict-reporter.ts can build the side-by-side table
// from this run's results instead of from anything written by hand.
import type { TaskMeta } from 'vitest';

/** The seven scenarios of the comparison, one folder each under prototypes/. */
export type Topic =
  | 'invisible-fixture-data'
  | 'cls-does-not-cross-http'
  | 'commit-workaround-leaks'
  | 'aborted-transaction'
  | 'nested-transaction-escapes'
  | 'concurrent-requests-lose-writes'
  | 'keep-alive-close-hangs';

/** `old`: the broken sync-client approach (`*.broken.test.ts`); `new`: the shared-session kit (`*.fixed.test.ts`). */
export type Side = 'old' | 'new';

/** One observation: what the test saw, in a few words (a status, a SQLSTATE, a count, a duration). */
export interface VerdictRecord {
  topic: Topic;
  side: Side;
  outcome: string;
}

declare module 'vitest' {
  interface TaskMeta {
    /** Observations of a prototype test, read by scripts/verdict-reporter.ts. */
    verdict?: VerdictRecord[];
  }
}


/**
 * Attaches an observation to the running test. Call it BEFORE the assertion on
 * the same value: a test that then fails still reports what it saw, which is
 * how the table can say what a broken prototype observed when it stopped
 * reproducing its bug.
 */
export function recordOutcome(task: { meta: TaskMeta }, record: VerdictRecord): void {
  (task.meta.verdict ??= []).push(record);
}

/** The middle value of the samples (the mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

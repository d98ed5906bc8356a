// Shared by both twins of commit-workaround-leaks, so that TRUNCATE and
// rollback are timed over the same rows and the same number of iterations.
import type { Factories } from '../../src/e2e/factories.ts';
import { median } from '../verdict.ts';

/** How many simulated tests each twin times its cleanup over. */
export const ITERATIONS = 20;

/** The rows a typical test of the demo app leaves: a signed-in user and a small bracket. */
export async function createTypicalTestRows(factories: Factories): Promise<void> {
  await factories.user('staff');
  const category = await factories.category();
  await factories.battle({ categoryId: category.id });
}

/** "TRUNCATE cleanup 9.4 ms/test (median of 20)" */
export function formatCost(label: string, samples: readonly number[]): string {
  return `${label} ${median(samples).toFixed(1)} ms/test (median of ${samples.length})`;
}

// The verdict of `npm test`: a Vitest reporter that prints, after the run, one
// row per prototype topic with what the old approach (prototypes/<topic>/<topic>.broken.test.ts)
// and the shared-session kit (<topic>.fixed.test.ts) were observed to do. Every
// cell comes from this run: the test results and the observations the tests
// attached with `recordOutcome()` (prototypes/verdict.ts, Vitest task meta).
// Nothing here imports prototypes/: the reporter only reads results.
//
// Registered in vitest.config.ts after the default reporter. Prints nothing
// when no prototype ran (say `npx vitest run src/app`).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node';

/** The order of the story told by the issue; topics found on disk but not listed here come after, alphabetically. */
const TOPIC_ORDER = [
  'invisible-fixture-data',
  'cls-does-not-cross-http',
  'commit-workaround-leaks',
  'aborted-transaction',
  'nested-transaction-escapes',
  'concurrent-requests-lose-writes',
  'keep-alive-close-hangs',
];

const PROTOTYPE_FILE = /(?:^|\/)prototypes\/([^/]+)\/\1\.(broken|fixed)\.test\.ts$/;
const COLUMN_WIDTH = { topic: 32, cell: 46 };

type Side = 'old' | 'new';

interface Observation {
  side?: unknown;
  outcome?: unknown;
}

/** The observations a test attached to itself for one side (the shape written by prototypes/verdict.ts). */
function observations(testCase: TestCase, side: Side): string[] {
  const verdict = (testCase.meta() as { verdict?: unknown }).verdict;
  if (!Array.isArray(verdict)) return [];
  return (verdict as Observation[])
    .filter((record) => record.side === side && typeof record.outcome === 'string')
    .map((record) => String(record.outcome));
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value.length > 0))];
}

/** What one side of one topic did in this run, in a few words. */
export function describeSide(module: TestModule | undefined, side: Side): string {
  if (!module) return 'not run';
  const tests = [...module.children.allTests()];
  const ran = tests.filter((t) => t.result().state === 'passed' || t.result().state === 'failed');
  const moduleErrors = module.errors();
  if (ran.length === 0) return moduleErrors.length > 0 ? `ERROR: ${firstLine(moduleErrors[0]!)}` : 'not run';

  const failed = ran.filter((t) => t.result().state === 'failed');
  const seen = unique(ran.flatMap((t) => observations(t, side)));

  if (side === 'old') {
    if (failed.length > 0 || moduleErrors.length > 0) {
      // A test.fails test that failed means the naive expectation held: the bug is gone.
      const why = [
        ...failed.map((t) => (t.options.fails ? 'the naive expectation held' : 'the broken outcome was not observed')),
        ...moduleErrors.map((error) => `file error: ${firstLine(error)}`),
      ];
      return `NOT REPRODUCED: ${unique(why).join('; ')}${seen.length ? ` (observed: ${seen.join('; ')})` : ''}`;
    }
    // The outcome tests say it best; the naive (test.fails) ones only repeat it.
    const outcomes = unique(ran.filter((t) => !t.options.fails).flatMap((t) => observations(t, side)));
    return `${(outcomes.length ? outcomes : seen).join('; ') || 'no observation recorded'} (bug reproduced)`;
  }

  if (failed.length > 0 || moduleErrors.length > 0) {
    const names = [...failed.map((t) => `"${t.name}"`), ...moduleErrors.map((error) => `file error: ${firstLine(error)}`)];
    return `FAILED: ${names.join('; ')}${seen.length ? ` (observed: ${seen.join('; ')})` : ''}`;
  }
  return seen.join('; ') || 'passed, no observation recorded';
}

function firstLine(error: SerializedError): string {
  return (error.message ?? String(error)).split('\n')[0]!;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    // A single word longer than the column is cut rather than breaking the table.
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = '';
    }
    line = line ? `${line} ${rest}` : rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** Renders rows of cells as a box-drawn table, wrapping each cell to its column's width. */
export function renderTable(header: string[], rows: string[][], widths: number[]): string {
  const fitted = widths.map((max, i) => Math.min(max, Math.max(...[header, ...rows].map((row) => Math.max(...wrap(row[i]!, max).map((l) => l.length))))));
  const rule = (left: string, middle: string, right: string) => left + fitted.map((w) => '─'.repeat(w + 2)).join(middle) + right;
  const renderRow = (row: string[]) => {
    const cells = row.map((cell, i) => wrap(cell, fitted[i]!));
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, line) => `│ ${cells.map((c, i) => (c[line] ?? '').padEnd(fitted[i]!)).join(' │ ')} │`).join('\n');
  };
  return [rule('┌', '┬', '┐'), renderRow(header), rule('├', '┼', '┤'), ...rows.map(renderRow), rule('└', '┴', '┘')].join('\n');
}

function topicsOnDisk(root: string): string[] {
  const dir = join(root, 'prototypes');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, `${entry.name}.broken.test.ts`)))
    .map((entry) => entry.name);
}

function ordered(topics: Iterable<string>): string[] {
  const rank = (topic: string) => {
    const index = TOPIC_ORDER.indexOf(topic);
    return index === -1 ? TOPIC_ORDER.length : index;
  };
  return [...new Set(topics)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export default class VerdictReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: ReadonlyArray<SerializedError>, _reason: TestRunEndReason): void {
    const sides = new Map<string, Partial<Record<Side, TestModule>>>();
    for (const module of testModules) {
      const match = PROTOTYPE_FILE.exec(module.moduleId.replaceAll('\\', '/'));
      if (!match) continue;
      const [, topic, kind] = match as unknown as [string, string, 'broken' | 'fixed'];
      const entry = sides.get(topic) ?? {};
      entry[kind === 'broken' ? 'old' : 'new'] = module;
      sides.set(topic, entry);
    }
    if (sides.size === 0) return;

    const root = this.vitest?.config.root ?? process.cwd();
    const rows = ordered([...topicsOnDisk(root), ...sides.keys()]).map((topic) => [
      topic,
      describeSide(sides.get(topic)?.old, 'old'),
      describeSide(sides.get(topic)?.new, 'new'),
    ]);
    const table = renderTable(
      ['Topic', 'Old: sync client on the app pool', 'New: shared-session kit'],
      rows,
      [COLUMN_WIDTH.topic, COLUMN_WIDTH.cell, COLUMN_WIDTH.cell],
    );
    const notes = ['Verdict of this run (prototypes/, observed values, nothing hard-coded):', table];
    if (rows.some((row) => row[1]!.startsWith('NOT REPRODUCED'))) {
      notes.push('NOT REPRODUCED: a broken prototype no longer shows its bug; its failing test above says which expectation changed.');
    }
    const log = this.vitest ? (text: string) => this.vitest!.logger.log(text) : (text: string) => console.log(text);
    log(`\n${notes.join('\n')}\n`);
  }
}

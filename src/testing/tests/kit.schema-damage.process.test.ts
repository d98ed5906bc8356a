// Schema damage is caught and contained, end to end: a file that commits DDL
// (here: drops users' unique email constraint in beforeAll) fails by itself,
// naming the constraint, and the next file of the same worker database runs on
// the template's schema again. Both files run for real in a child Vitest with
// one worker, in name order, against this run's server: once with a module
// graph per file, once with one per worker, where the kit (and its pooled
// connections to the database that is cloned again) outlives the damaging file.
import { expect, test } from 'vitest';
import { runChildVitest, type ReportedFile } from './child-vitest.ts';

test.for([
  ['one module graph per file', 'vitest.config.ts'],
  ['one module graph per worker, the kit kept from file to file', 'vitest.no-isolate.config.ts'],
])('when a file drops a constraint outside the test transaction, then that file fails naming it and the next file of the worker gets the constraint back (%s)', { timeout: 90_000 }, async ([, config]) => {
  const child = await runChildVitest(`src/testing/tests/schema-damage/${config}`, [], 80_000);
  const byFile: Record<string, ReportedFile> = Object.fromEntries(child.files.map((file) => [file.name.split('/').pop() ?? '', file]));
  const damaging = byFile['a-drops-constraint.damage.ts'];
  const innocent = byFile['b-relies-on-constraint.damage.ts'];

  expect(child.status, child.stderr).toBe(1);
  expect(damaging?.status).toBe('failed');
  expect(`${damaging?.message}\n${child.stderr}\n${child.stdout}`).toMatch(
    /Schema differs from the template after this file:\n\s*missing constraint public\.users\.users_email_key \(UNIQUE \(email\)\)/,
  );
  expect(innocent?.assertionResults.map((r) => [r.title, r.status, r.failureMessages[0]?.split('\n')[0]])).toEqual([
    ['a second user with the same email is refused', 'passed', undefined],
  ]);
});

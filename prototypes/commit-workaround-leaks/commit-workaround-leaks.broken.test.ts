// Scenario: to make fixture rows visible to the app's connections, the test
// commits them (no transaction at all). The request then works, but the row
// outlives the test: the next test starts with a tournament it did not create,
// and creating the same name again is a 409. The usual cure is to TRUNCATE
// every table after each test; the last test times that cleanup over a typical
// test's rows (the fixed twin times the kit's rollback over the same rows).
// Everything here runs on a scratch database of its own, dropped afterwards.
// So that each test stands alone in any order, every test starts from an empty
// scratch database with its own staff user, and a leak is shown inside one
// test: a first phase ("a test") commits, a second ("the next test") finds it,
// with no cleanup between them, as two tests of this approach would.
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { countRows } from '../../src/testing/index.ts';
import { startScratchApp, type ScratchApp } from '../scratch-app.ts';
import { runTestsOneAtATime } from '../one-test-at-a-time.ts';
import { recordOutcome } from '../verdict.ts';
import { createTypicalTestRows, formatCost, ITERATIONS } from './cleanup-cost.ts';

const topic = 'commit-workaround-leaks';
// One test at a time, even under --sequence.concurrent: its tests commit to one scratch database and empty it before each test.
runTestsOneAtATime();
let old: ScratchApp;
let staff: string;

/** The cure's statement: empties every table of the scratch database. */
function truncateEveryTable(): Promise<unknown> {
  const tables = Object.values(old.models)
    .map((model) => `"${String(model.getTableName())}"`)
    .join(', ');
  return old.sequelize.query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}

beforeAll(async () => {
  old = await startScratchApp(topic);
});
beforeEach(async () => {
  // This file's own hygiene, not the scenario: its tests commit on purpose, so none may start with another's rows.
  await truncateEveryTable();
  staff = await old.bearer(await old.factories.user('staff'));
});
afterAll(async () => {
  await old?.drop();
});

// #region old
test('when a test commits its fixture, then its request sees it: 200', async ({ task }) => {
  // ❌ committed for good: visible to the app's pool, and to every later test.
  const tournament = await old.models.Tournament.create({ name: 'Spring Jam' });

  const res = await request(old.app).get(`/tournaments/${tournament.id}`).set('authorization', staff);

  recordOutcome(task, { topic, side: 'old', outcome: `committed fixture: ${res.status}` });
  expect(res.status).toBe(200);
});
// #endregion old

test.fails('when a test committed a tournament, then the next test starts with an empty tournaments table (the naive expectation)', async ({ task }) => {
  // A test: commits its fixture, and no cleanup follows.
  await old.models.Tournament.create({ name: 'Spring Jam' });

  // The next test, on the same database:
  const rows = await old.models.Tournament.count();
  recordOutcome(task, { topic, side: 'old', outcome: `next test finds ${rows} row(s)` });
  expect(rows).toBe(0);
});

// #region old-outcome
test('when a test committed "Spring Jam", then the next test finds its row and creating the name again is a 409', async ({ task }) => {
  // A test: commits its fixture, and no cleanup follows.
  await old.models.Tournament.create({ name: 'Spring Jam' });

  // The next test, on the same database:
  const leaked = await old.models.Tournament.count();
  const res = await request(old.app).post('/tournaments').set('authorization', staff).send({ name: 'Spring Jam' });

  recordOutcome(task, { topic, side: 'old', outcome: `next test finds ${leaked} leaked row, same name: ${res.status}` });
  expect(leaked).toBe(1);
  expect(res.status).toBe(409);
});
// #endregion old-outcome

test('when every test cleans up with TRUNCATE instead, then each one pays for it (timed over 20 tests)', async ({ task }) => {
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    await createTypicalTestRows(old.factories); // committed, like every fixture of this approach
    const started = performance.now();
    await truncateEveryTable();
    samples.push(performance.now() - started);
  }

  recordOutcome(task, { topic, side: 'old', outcome: formatCost('TRUNCATE cleanup', samples) });
  expect(await countRows(old.url)).toEqual({});
  expect(samples).toHaveLength(ITERATIONS);
});

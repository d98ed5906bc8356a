// Scenario: the same tests with the kit. Nothing is committed: the fixture is
// visible to the request because both run in the test's shared transaction,
// and the rollback after the test removes it, so the next test starts empty
// and the same name is free again. The last test times that rollback (the
// kit's own TestSession, begun and ended as the kit does around each test)
// over the rows the broken twin truncates. Each test stands alone: the "next
// test" case is one test that Vitest runs twice, each run in a transaction of
// its own, so it does not rely on another test having run before it.
import { test, expect } from '../../src/e2e/fixtures.ts';
import { kitStorage, TestSession } from '../../src/testing/index.ts';
import { recordOutcome } from '../verdict.ts';
import { createTypicalTestRows, formatCost, ITERATIONS } from './cleanup-cost.ts';

const topic = 'commit-workaround-leaks';

test('when a test creates its fixture, then its request sees it: 200', async ({ factories, clientFor, task }) => {
  const tournament = await factories.tournament({ name: 'Spring Jam' });
  const staff = await clientFor('staff');

  const res = await staff.get(`/tournaments/${tournament.id}`);

  recordOutcome(task, { topic, side: 'new', outcome: `uncommitted fixture: ${res.status}` });
  expect(res.status).toBe(200);
});

// #region new
// Vitest runs this test twice (`repeats: 1`); the kit begins and rolls back a transaction around each run.
test('when a test created "Spring Jam", then the next test finds the table empty and the same name is free: 201', { repeats: 1 }, async ({ factories, clientFor, app, task }) => {
  if (task.result?.repeatCount === 0) {
    // A test: creates its fixture, and ends.
    await factories.tournament({ name: 'Spring Jam' });
    expect(await app.models.Tournament.count()).toBe(1);
    return;
  }

  // The next test:
  const left = await app.models.Tournament.count();
  const staff = await clientFor('staff');

  const res = await staff.post('/tournaments', { name: 'Spring Jam' });

  recordOutcome(task, { topic, side: 'new', outcome: `next test finds ${left} rows, same name: ${res.status}` });
  expect(left).toBe(0);
  expect(res.status).toBe(201);
});
// #endregion new

test('when every test rolls back instead, then cleanup costs a BEGIN and a ROLLBACK (timed over 20 tests)', async ({ app, task }) => {
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    // What the kit's aroundEach does around each test: begin, run the test in the transaction, roll back.
    const beginning = performance.now();
    const session = await TestSession.begin(app.sequelize, `${task.name} #${i}`);
    const begun = performance.now() - beginning;
    await kitStorage.run({ values: new Map([['transaction', session.transaction]]), session }, () => createTypicalTestRows(app.factories));
    const ending = performance.now();
    await session.end();
    samples.push(begun + performance.now() - ending);
  }

  recordOutcome(task, { topic, side: 'new', outcome: formatCost('rollback cleanup', samples) });
  expect(await app.models.Tournament.count()).toBe(0);
  expect(samples).toHaveLength(ITERATIONS);
});

// Scenario: the same bracket with the kit. Inside a test the kit turns the
// app's own `sequelize.transaction()` into a SAVEPOINT of the test's
// transaction, on the test's connection: the bracket sees the fixture
// category, its battles are visible to the test and rolled back with it, and
// a row the test has locked is already its own, so nothing waits. Each test
// stands alone: "nothing is left" is one test run twice, a bracket built in
// the first run and looked for in the second.
import { test, expect } from '../../src/e2e/fixtures.ts';
import type { Factories } from '../../src/e2e/factories.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'nested-transaction-escapes';

async function categoryWithTwoDancers(factories: Factories) {
  const category = await factories.category();
  await factories.dancer({ categoryId: category.id });
  await factories.dancer({ categoryId: category.id });
  return category;
}

// #region new
test('when staff builds the bracket of a fixture category, then 201 and the test sees its battle', async ({ factories, clientFor, app, task }) => {
  const category = await categoryWithTwoDancers(factories);
  const staff = await clientFor('staff');

  // ✅ the app's transaction is a savepoint of the test's transaction.
  const res = await staff.post(`/categories/${category.id}/bracket`);
  const battles = await app.models.Battle.count({ where: { categoryId: category.id } });

  recordOutcome(task, { topic, side: 'new', outcome: `fixture category: ${res.status}, test sees ${battles} battle` });
  expect(res.status).toBe(201);
  expect(battles).toBe(1);
});
// #endregion new

test("when the test holds a lock on the category's row, then the bracket does not wait: 201", async ({ factories, clientFor, task }) => {
  const category = await categoryWithTwoDancers(factories);
  await category.update({ name: 'Renamed by the test' });
  const staff = await clientFor('staff');

  const started = performance.now();
  const res = await staff.post(`/categories/${category.id}/bracket`);
  const tookMs = Math.round(performance.now() - started);

  recordOutcome(task, { topic, side: 'new', outcome: `held row: ${res.status} in ${tookMs} ms` });
  expect(res.status).toBe(201);
});

// Vitest runs this test twice (`repeats: 1`); the kit begins and rolls back a transaction around each run,
// so the second run is the next test whatever order the file's tests run in.
test('when a test that built a bracket has ended, then the next test finds none of its battles', { repeats: 1 }, async ({ factories, clientFor, app, task }) => {
  if (task.result?.repeatCount === 0) {
    const category = await categoryWithTwoDancers(factories);
    const staff = await clientFor('staff');
    expect((await staff.post(`/categories/${category.id}/bracket`)).status).toBe(201);
    expect(await app.models.Battle.count()).toBe(1);
    return;
  }

  const left = await app.models.Battle.count();
  recordOutcome(task, { topic, side: 'new', outcome: `${left} battles left after rollback` });
  expect(left).toBe(0);
});

// Scenario: requests share the test's transaction through a home-made CLS
// override (naive override 1 in ../naive-shared-transaction.ts), and staff
// builds a bracket, which the app does in its own `sequelize.transaction()`.
// Sequelize 6 does not nest that under the transaction found in CLS: it takes a
// new connection from the pool and runs a real transaction there. Three things
// go wrong. It cannot see the test's uncommitted fixtures (404). When it can
// (the category is committed), its COMMIT is real and its battles outlive the
// test's rollback (a leak). And when the test holds a lock on the category row,
// it waits for a lock that the test will only release after the response: a
// deadlock across HTTP that lasts until a timeout (lock_timeout is 300 ms on
// this file's pool). Runs on a scratch database; commits stay there.
import request from 'supertest';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { clsNamespace } from '../../src/testing/index.ts';
import { NaiveSharedTransaction } from '../naive-shared-transaction.ts';
import { startScratchApp, type ScratchApp } from '../scratch-app.ts';
import { runTestsOneAtATime } from '../one-test-at-a-time.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'nested-transaction-escapes';
// One test at a time, even under --sequence.concurrent: the shared override holds one transaction at a time, and some tests commit to the scratch database.
runTestsOneAtATime();
const LOCK_TIMEOUT_MS = 300;
Sequelize.useCLS(clsNamespace);

let old: ScratchApp;
const shared = new NaiveSharedTransaction();

beforeAll(async () => {
  old = await startScratchApp(topic, {
    sequelize: { dialectOptions: { lock_timeout: LOCK_TIMEOUT_MS } },
    testRequestOverride: shared.bindOverride(),
  });
});
afterAll(async () => {
  await old?.drop();
});

/** A category with two dancers: the smallest bracket. Committed unless created inside `shared.run()`. */
async function categoryWithTwoDancers() {
  const category = await old.factories.category();
  await old.factories.dancer({ categoryId: category.id });
  await old.factories.dancer({ categoryId: category.id });
  return category;
}

/** POST /categories/:id/bracket as a staff user created in the test's transaction. */
async function buildBracket(categoryId: number) {
  const staff = await old.bearer(await old.factories.user('staff'));
  return request(old.app).post(`/categories/${categoryId}/bracket`).set('authorization', staff);
}

test.fails('when staff builds the bracket of a fixture category, then 201 (the naive expectation)', async ({ task }) => {
  const res = await shared.run(old.sequelize, async () => buildBracket((await categoryWithTwoDancers()).id));
  recordOutcome(task, { topic, side: 'old', outcome: `${res.status}` });
  expect(res.status).toBe(201);
});

// #region old-outcome
test("when the app opens its own transaction, then it cannot see the test's uncommitted category: 404", async ({ task }) => {
  const res = await shared.run(old.sequelize, async () => buildBracket((await categoryWithTwoDancers()).id));
  recordOutcome(task, { topic, side: 'old', outcome: `fixture category: ${res.status}` });
  expect(res.status).toBe(404);
  expect(res.body.error.message).toBe('Category not found');
});
// #endregion old-outcome

test("when the category is committed, then the bracket's own COMMIT is real and its battle outlives the test's rollback", async ({ task }) => {
  const category = await categoryWithTwoDancers(); // committed, so the app's connection sees it
  const res = await shared.run(old.sequelize, () => buildBracket(category.id));
  // The test's transaction is rolled back by now.
  const left = await old.models.Battle.count({ where: { categoryId: category.id } });

  recordOutcome(task, { topic, side: 'old', outcome: `committed category: ${res.status}, then ${left} battle left after rollback` });
  expect(res.status).toBe(201);
  expect(left).toBe(1);
});

test("when the test holds a lock on the category's row, then the bracket waits for it until lock_timeout: 500", async ({ task }) => {
  const category = await categoryWithTwoDancers();
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const { status, waitedMs } = await shared.run(old.sequelize, async () => {
      // #region old-lock
      await category.update({ name: 'Renamed by the test' }); // row lock held by the test's transaction
      const started = performance.now();
      // ❌ the bracket's new connection blocks on that lock; the test waits for the response.
      const res = await buildBracket(category.id);
      return { status: res.status, waitedMs: Math.round(performance.now() - started) };
      // #endregion old-lock
    });
    const state = logged.mock.calls.map((args) => (args[1] as { parent?: { code?: string } })?.parent?.code).find(Boolean);

    recordOutcome(task, { topic, side: 'old', outcome: `held row: blocked ${waitedMs} ms, then ${status} (SQLSTATE ${state})` });
    expect(status).toBe(500);
    expect(state).toBe('55P03'); // lock_not_available
    expect(waitedMs).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS);
  } finally {
    logged.mockRestore();
  }
});

// Scenario: the developer shares the test's transaction with the app through a
// home-made override that binds it in CLS for every request (naive override 1
// in ../naive-shared-transaction.ts), without a savepoint per request. The
// fixtures are now visible, until a request fails in the database: a duplicate
// tournament name is a unique violation, answered 409, and PostgreSQL marks
// the whole transaction aborted. Every later statement of the test, in a
// request or in the test body, fails with SQLSTATE 25P02 ("current transaction
// is aborted, commands ignored until end of transaction block"): the next
// request is a 500. Runs on a scratch database; the transaction is rolled back.
import request from 'supertest';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { clsNamespace } from '../../src/testing/index.ts';
import { NaiveSharedTransaction } from '../naive-shared-transaction.ts';
import { startScratchApp, type ScratchApp } from '../scratch-app.ts';
import { runTestsOneAtATime } from '../one-test-at-a-time.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'aborted-transaction';
// One test at a time, even under --sequence.concurrent: the shared override holds one transaction at a time.
runTestsOneAtATime();
Sequelize.useCLS(clsNamespace);

let old: ScratchApp;
const shared = new NaiveSharedTransaction();

beforeAll(async () => {
  old = await startScratchApp(topic, { testRequestOverride: shared.bindOverride() });
});
afterAll(async () => {
  await old?.drop();
});

/** SQLSTATE of a Sequelize error (kept on `parent`, the pg error). */
function sqlState(error: unknown): string | undefined {
  return (error as { parent?: { code?: string } } | undefined)?.parent?.code;
}

/** Creates "Spring Jam" twice over HTTP in one shared transaction, then lists the tournaments. */
function duplicateThenList() {
  // The app logs the 500's cause with console.error: keep it, it carries the SQLSTATE.
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  return shared
    .run(old.sequelize, async () => {
      const staff = await old.bearer(await old.factories.user('staff'));
      // #region old
      const first = await request(old.app).post('/tournaments').set('authorization', staff).send({ name: 'Spring Jam' });
      // ❌ the unique violation aborts the shared transaction; nothing rolls back to a savepoint.
      const duplicate = await request(old.app).post('/tournaments').set('authorization', staff).send({ name: 'Spring Jam' });
      const next = await request(old.app).get('/tournaments').set('authorization', staff);
      // #endregion old
      const testBodyQuery = await old.models.Tournament.count().then(
        () => 'ok',
        (error: unknown) => sqlState(error) ?? String(error),
      );
      const loggedState = logged.mock.calls.map((args) => sqlState(args[1])).find(Boolean);
      return { first: first.status, duplicate: duplicate.status, next: next.status, loggedState, testBodyQuery };
    })
    .finally(() => logged.mockRestore());
}

test.fails('when a duplicate name gets 409, then the next request of the same test still works (the naive expectation)', async ({ task }) => {
  const seen = await duplicateThenList();
  recordOutcome(task, { topic, side: 'old', outcome: `${seen.duplicate}, then ${seen.next}` });
  expect(seen.duplicate).toBe(409);
  expect(seen.next).toBe(200);
});

// #region old-outcome
test('when a request fails with 409 without a savepoint, then the transaction is aborted: the next request is a 500 with SQLSTATE 25P02', async ({ task }) => {
  const seen = await duplicateThenList();
  recordOutcome(task, {
    topic,
    side: 'old',
    outcome: `${seen.duplicate}, then ${seen.next} (SQLSTATE ${seen.loggedState}); test body's next query: ${seen.testBodyQuery}`,
  });
  expect(seen.first).toBe(201);
  expect(seen.duplicate).toBe(409);
  expect(seen.next).toBe(500);
  expect(seen.loggedState).toBe('25P02');
  expect(seen.testBodyQuery).toBe('25P02');
});
// #endregion old-outcome

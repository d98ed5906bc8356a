// Scenario: a test creates a tournament inside its own transaction (so that a
// rollback cleans it up) and asks the API for it with supertest. What goes
// wrong: the request answers 404. The app's handlers take a connection from
// the app's own pool, and PostgreSQL never shows one connection's uncommitted
// rows to another, so the row the test just created does not exist for them.
// (The signed-in user is committed once for the whole file, on a scratch
// database, so that the 404 is about the tournament alone.)
import request from 'supertest';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startScratchApp, type ScratchApp } from '../scratch-app.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'invisible-fixture-data';
let old: ScratchApp;
let staff: string;

beforeAll(async () => {
  old = await startScratchApp(topic);
  staff = await old.bearer(await old.factories.user('staff'));
});
afterAll(async () => {
  await old?.drop();
});

// #region old
/** Creates the fixture in the test's transaction, asks for it over HTTP, rolls back. */
async function fetchFixtureTournament() {
  const transaction = await old.sequelize.transaction();
  try {
    const tournament = await old.models.Tournament.create({ name: 'Spring Jam' }, { transaction });
    // ❌ supertest reaches handlers that query through the app's pool, not through `transaction`.
    return await request(old.app).get(`/tournaments/${tournament.id}`).set('authorization', staff);
  } finally {
    await transaction.rollback();
  }
}
// #endregion old

test.fails('when a fixture creates a tournament, then GET /tournaments/:id returns it (the naive expectation)', async ({ task }) => {
  const res = await fetchFixtureTournament();
  recordOutcome(task, { topic, side: 'old', outcome: `${res.status}` });
  expect(res.status).toBe(200);
});

// #region old-outcome
test("when the fixture's row is uncommitted, then the request on the app's pool gets 404", async ({ task }) => {
  const res = await fetchFixtureTournament();
  recordOutcome(task, { topic, side: 'old', outcome: `${res.status} ${res.body?.error?.message ?? ''}`.trim() });
  expect(res.status).toBe(404);
  expect(res.body.error.code).toBe('not_found');
});
// #endregion old-outcome

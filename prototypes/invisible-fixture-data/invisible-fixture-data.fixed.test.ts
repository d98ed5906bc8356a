// Scenario: the same test with the kit. The fixture creates the tournament in
// the test's shared transaction, and the request override runs the request's
// queries in that same transaction, so the handler finds the row: 200. The
// transaction is rolled back after the test, so nothing stays behind (the kit
// checks the worker database after the file).
import { test, expect } from '../../src/e2e/fixtures.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'invisible-fixture-data';

// #region new
test('when a fixture creates a tournament, then GET /tournaments/:id returns it: 200', async ({ factories, clientFor, task }) => {
  const tournament = await factories.tournament({ name: 'Spring Jam' });
  const staff = await clientFor('staff');

  // ✅ the request runs inside the test's transaction, where the row exists.
  const res = await staff.get(`/tournaments/${tournament.id}`);

  recordOutcome(task, { topic, side: 'new', outcome: `${res.status} ${res.data?.name ?? ''}`.trim() });
  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ id: tournament.id, name: 'Spring Jam' });
});
// #endregion new

// Scenario: the same test with the kit. The kit's aroundEach also runs the test
// body in a CLS context holding the test's transaction, but it does not rely
// on CLS crossing HTTP: the request override, mounted first in the app, binds
// the test's transaction in the handler's own context for every request. The
// fixture is visible to the test body and to the request alike: 200.
import { test, expect } from '../../src/e2e/fixtures.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'cls-does-not-cross-http';

// #region new
test('when the test body sees its fixture through CLS, then the request sees it too: 200', async ({ factories, clientFor, app, task }) => {
  const tournament = await factories.tournament({ name: 'Spring Jam' });
  const seenByTheTest = await app.models.Tournament.count();
  const staff = await clientFor('staff');

  // ✅ the override puts the request's queries in the test's transaction.
  const res = await staff.get(`/tournaments/${tournament.id}`);

  recordOutcome(task, { topic, side: 'new', outcome: `test body sees ${seenByTheTest} row, request gets ${res.status}` });
  expect(seenByTheTest).toBe(1);
  expect(res.status).toBe(200);
});
// #endregion new

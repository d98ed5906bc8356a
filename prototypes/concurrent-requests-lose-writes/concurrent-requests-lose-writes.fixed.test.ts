// Scenario: the same two requests with the kit. Its override takes a lock per
// test transaction before opening a request's savepoint and releases it once
// the savepoint is settled, so the requests take turns: the login's rollback
// to its savepoint can only undo the login's own work, and the tournament
// created beside it is kept.
import { test, expect } from '../../src/e2e/fixtures.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'concurrent-requests-lose-writes';

// #region new
test('when a failed login and a create run at once, then the created tournament is kept', async ({ factories, clientFor, app, task }) => {
  const user = await factories.user('staff');
  const [anonymous, staff] = [await clientFor(), await clientFor('staff')];

  // ✅ the per-transaction lock serialises the two savepoints.
  const [login, created] = await Promise.all([
    anonymous.post('/auth/login', { email: user.email, password: 'not the password' }),
    staff.post('/tournaments', { name: 'Spring Jam' }),
  ]);
  const kept = await app.models.Tournament.count();

  recordOutcome(task, { topic, side: 'new', outcome: `login ${login.status} beside create ${created.status}: ${kept} of 1 row kept` });
  expect(login.status).toBe(401);
  expect(created.status).toBe(201);
  expect(kept).toBe(1);
});
// #endregion new

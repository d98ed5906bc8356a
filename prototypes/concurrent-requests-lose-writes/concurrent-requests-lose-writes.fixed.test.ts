// Scenario: the same two requests with the kit. It has no savepoint per
// request, so the login's 401 rolls nothing back, as in production; and its
// override holds a lock per test from when a request enters until its
// response is settled, so the requests take turns and never interleave on the
// one connection. The tournament created beside the login is kept.
import { test, expect } from '../../src/e2e/fixtures.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'concurrent-requests-lose-writes';

// #region new
test('when a failed login and a create run at once, then the created tournament is kept', async ({ factories, clientFor, app, task }) => {
  const user = await factories.user('staff');
  const [anonymous, staff] = [await clientFor(), await clientFor('staff')];

  // ✅ the lock per test makes the two requests take turns; the 401 undoes nothing.
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

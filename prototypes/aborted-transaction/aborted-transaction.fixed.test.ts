// Scenario: the same requests with the kit. Each statement a request runs
// outside an app transaction behaves as autocommit: a SAVEPOINT stands before
// it, and when it fails the kit rolls back to it. So the failed INSERT of the
// 409 alone is undone, the first tournament stays, and the transaction is
// usable again: the next request is a 200, and the test body still queries
// normally.
import { test, expect } from '../../src/e2e/fixtures.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'aborted-transaction';

// #region new
test('when a duplicate name gets 409, then the next request of the same test still works: 200', async ({ clientFor, app, task }) => {
  const staff = await clientFor('staff');
  const first = await staff.post('/tournaments', { name: 'Spring Jam' });

  // ✅ the 409's failed INSERT alone is rolled back, to the savepoint the kit set before it.
  const duplicate = await staff.post('/tournaments', { name: 'Spring Jam' });
  const next = await staff.get('/tournaments');
  const count = await app.models.Tournament.count();

  recordOutcome(task, { topic, side: 'new', outcome: `${duplicate.status}, then ${next.status}; test body's next query: ok (${count} row)` });
  expect(first.status).toBe(201);
  expect(duplicate.status).toBe(409);
  expect(next.status).toBe(200);
  expect(next.data.items).toHaveLength(1);
  expect(count).toBe(1);
});
// #endregion new

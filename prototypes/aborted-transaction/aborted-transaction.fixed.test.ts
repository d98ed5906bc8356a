// Scenario: the same requests with the kit. Its override opens a SAVEPOINT for
// every request and, when the response is an error, rolls back to it before
// the response leaves, so the failed INSERT of the 409 is undone and the
// transaction is usable again: the next request is a 200, and the test body
// still queries normally.
import { test, expect } from '../../src/e2e/fixtures.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'aborted-transaction';

// #region new
test('when a duplicate name gets 409, then the next request of the same test still works: 200', async ({ clientFor, app, task }) => {
  const staff = await clientFor('staff');
  const first = await staff.post('/tournaments', { name: 'Spring Jam' });

  // ✅ the 409's failed INSERT is rolled back to the request's savepoint.
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

// Rows a test writes are seen by its requests, and gone for the next test.
import { test, expect } from './fixtures.mjs';
import { proveModuleGraph } from './module-graph.mjs';

proveModuleGraph(test);

// #region rolled-back
// Either order proves it: the second of these two tests to run gets 201 only if the
// first one's queue was rolled back (POST /queues answers 409 to an existing name).
test('when a staff member creates the queue "escalations", then 201 and the test reads it', async ({ app, clientFor }) => {
  const staff = await clientFor('staff');

  const res = await staff.post('/queues', { name: 'escalations' });

  expect(res.status).toBe(201);
  expect((await app.models.Queue.findByPk(res.data.id)).name).toBe('escalations');
});

test('when a staff member creates "escalations" again in another test, then 201 again: the other test\'s row is gone', async ({ app, clientFor }) => {
  expect(await app.models.Queue.count({ where: { name: 'escalations' } })).toBe(0);

  const res = await (await clientFor('staff')).post('/queues', { name: 'escalations' });

  expect(res.status).toBe(201);
  expect(await app.models.Queue.count()).toBe(3); // the two seed queues and this one
});
// #endregion rolled-back

test('when a customer creates a queue, then 403, and anonymous gets 401', async ({ app, clientFor }) => {
  expect((await (await clientFor('customer')).post('/queues', { name: 'vip' })).status).toBe(403);
  expect((await (await clientFor()).post('/queues', { name: 'vip' })).status).toBe(401);
  expect(await app.models.Queue.count({ where: { name: 'vip' } })).toBe(0);
});

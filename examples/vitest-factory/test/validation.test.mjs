// Bad input is answered 4xx with a JSON error, and writes nothing.
import { test, expect } from './fixtures.mjs';
import { proveModuleGraph } from './module-graph.mjs';

proveModuleGraph(test);

test('when a staff member posts a ticket without a title, then 400 with a JSON error and no row', async ({ app, clientFor }) => {
  const res = await (await clientFor('staff')).post('/tickets', { title: '   ', queue: 'billing' });

  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.data).toEqual({ error: 'title is required' });
  expect(await app.models.Ticket.count()).toBe(0);
});

test('when a customer posts a ticket to an unknown queue, then 400 with a JSON error and no row', async ({ app, tx, clientFor }) => {
  const res = await (await clientFor('customer')).post('/tickets', { title: 'Where is my order?', queue: 'shipping' });

  expect(res.status).toBe(400);
  expect(res.data).toEqual({ error: 'unknown queue' });
  expect(await app.models.Ticket.count({ transaction: tx })).toBe(0);
});

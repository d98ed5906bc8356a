// Data created in the test is visible to the app's requests.
import { test, expect } from './fixtures.mjs';
import { proveModuleGraph } from './module-graph.mjs';

proveModuleGraph(test);

test('when a ticket is created in the test, then a staff member\'s GET /tickets/:id returns it', async ({ app, tx, clientFor }) => {
  const { User, Queue, Ticket } = app.models;
  const customer = await User.create({ email: 'carla@example.test', role: 'customer' }, { transaction: tx });
  const billing = await Queue.findOne({ where: { name: 'billing' } }); // a seed row of the template
  const ticket = await Ticket.create({ title: 'Charged twice', queueId: billing.id, createdBy: customer.id });

  const res = await (await clientFor('staff')).get(`/tickets/${ticket.id}`);

  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ title: 'Charged twice', queueId: billing.id, createdBy: customer.id });
});

test('when a customer lists tickets, then 200 with their own only', async ({ app, clientFor }) => {
  const { User, Queue, Ticket } = app.models;
  const other = await User.create({ email: 'other@example.test', role: 'customer' });
  const technical = await Queue.findOne({ where: { name: 'technical' } });
  await Ticket.create({ title: 'Not yours', queueId: technical.id, createdBy: other.id });
  const customer = await clientFor('customer');
  const mine = await customer.post('/tickets', { title: 'Wi-Fi drops', queue: 'technical' });

  const res = await customer.get('/tickets');

  expect(mine.status).toBe(201);
  expect(res.status).toBe(200);
  expect(res.data.map((t) => t.title)).toEqual(['Wi-Fi drops']);
});

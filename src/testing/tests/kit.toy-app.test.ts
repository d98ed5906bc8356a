// The kit against a twenty-line app that is not the demo: fixture rows are
// visible to requests, requests' rows are visible to the test, and nothing
// outlives the test.
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { createSharedSessionTest } from '../shared-session-test.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

let createdInFirstTest = 0;

test('when a fixture creates a row, then a request of the same test sees it', async ({ clientFor }) => {
  const person = await Person.create({ email: 'toy-fixture@example.com', name: 'Fixture' });
  createdInFirstTest = person.id;
  const client = await clientFor();
  const res = await client.get(`/people/${person.id}`);
  expect(res.status).toBe(200);
  expect(res.data.name).toBe('Fixture');
});

test('when a request creates a row, then the test body sees it', async ({ clientFor }) => {
  const client = await clientFor();
  const res = await client.post('/people');
  expect(res.status).toBe(201);
  expect(await Person.count()).toBe(1);
});

test('when the previous tests ended, then their rows are gone', async ({ clientFor }) => {
  expect(createdInFirstTest).toBeGreaterThan(0);
  expect(await Person.count()).toBe(0);
  const client = await clientFor();
  expect((await client.get(`/people/${createdInFirstTest}`)).status).toBe(404);
});

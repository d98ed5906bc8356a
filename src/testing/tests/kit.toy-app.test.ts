// The kit against a twenty-line app that is not the demo: fixture rows are
// visible to requests, requests' rows are visible to the test, and nothing
// outlives the test. Each test stands alone, in any order.
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { createSharedSessionTest } from '../vitest.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

test('when a fixture creates a row, then a request of the same test sees it', async ({ clientFor }) => {
  const person = await Person.create({ email: 'toy-fixture@example.com', name: 'Fixture' });
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

{
  // Written by the first run of the test below and read by its second run; no other test sees it.
  let createdByTheFirstRun: number[] = [];

  // Vitest runs this test twice (`repeats: 1`), and the kit wraps each run in a
  // transaction of its own, rolled back at its end: the first run is "a test",
  // the second is "the next test", whatever order the file's tests run in.
  test('when a test has ended, then the next test finds none of its rows', { repeats: 1 }, async ({ clientFor, task }) => {
    const client = await clientFor();

    if (task.result?.repeatCount === 0) {
      const fromFixture = await Person.create({ email: 'toy-first-run@example.com', name: 'First Run' });
      const fromRequest = await client.post('/people');
      expect(fromRequest.status).toBe(201);
      expect(await Person.count()).toBe(2);
      createdByTheFirstRun = [fromFixture.id, fromRequest.data.id];
      return;
    }

    expect(createdByTheFirstRun).toHaveLength(2);
    expect(await Person.count()).toBe(0);
    for (const id of createdByTheFirstRun) expect((await client.get(`/people/${id}`)).status).toBe(404);
  });
}

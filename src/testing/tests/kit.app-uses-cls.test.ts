// The wiring says whether the production app enables CLS itself. When it
// does, a query inside `sequelize.transaction(cb)` without `{ transaction }`
// joins that transaction in production too, so the kit lets it (the default,
// no CLS in production, refuses it: see kit.production-fidelity.test.ts).
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { createSharedSessionTest } from '../vitest.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
  appUsesClsInProduction: true,
});

test('when the app uses CLS in production, then a query inside its transaction without { transaction } joins it', async ({ clientFor }) => {
  const client = await clientFor();

  expect((await client.post('/people/transaction-without-option')).status).toBe(201);

  expect(await Person.count()).toBe(1);
});

test('when the app uses CLS in production, then a managed transaction of the test body puts itself in CLS for its callback', async ({ app, tx }) => {
  await app.sequelize.transaction(async (nested) => {
    await Person.create({ email: 'cls@example.com', name: 'Cls' }); // no { transaction }: CLS supplies `nested`
    expect(nested).not.toBe(tx);
  });

  expect(await Person.count()).toBe(1);
});

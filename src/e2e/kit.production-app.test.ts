// The request override exists only in apps built for tests. An app built the
// production way (no override, as src/server.ts builds it) ignores everything
// the kit adds: it cannot see a test's rows, whatever a request carries.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import axios from 'axios';
import { afterAll, beforeAll } from 'vitest';
import type { Sequelize } from 'sequelize';
import { createApp } from '../app/app.ts';
import { defineModels } from '../app/models/index.ts';
import { createSequelize } from '../db/sequelize.ts';
import { signSessionToken } from '../app/auth/session.ts';
import { createRequestOverride, SharedSessionError, TESTING_SECTIONS } from '../testing/index.ts';
import { test, expect, TEST_SESSION_SECRET } from './fixtures.ts';

let productionServer: Server;
let productionUrl = '';

let productionSequelize: Sequelize;

test.beforeAll(async ({ databaseUrl }) => {
  // Built as src/server.ts builds it: its own Sequelize instance, which the kit
  // did not wire (the kit refuses queries on the wired one outside any test).
  productionSequelize = createSequelize(databaseUrl);
  const models = defineModels(productionSequelize);
  // Started outside any test, as a real server is: its sockets carry no test context.
  productionServer = createApp({ sequelize: productionSequelize, models, sessionSecret: TEST_SESSION_SECRET }).listen(0, '127.0.0.1');
  await new Promise((resolve) => productionServer.once('listening', resolve));
  productionUrl = `http://127.0.0.1:${(productionServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  productionServer.closeAllConnections();
  await new Promise((resolve) => productionServer.close(resolve));
  await productionSequelize.close();
});

beforeAll(() => expect(process.env.NODE_ENV).not.toBe('production'));

test("when a fixture user calls the production-built app, then 401: it sees none of the test's rows", async ({ factories, tx }) => {
  const tournament = await factories.tournament();
  const user = await factories.user('admin');
  const token = await signSessionToken(user.id, TEST_SESSION_SECRET);
  const production = axios.create({ baseURL: productionUrl, validateStatus: () => true });

  // The user row exists only inside the test transaction, so the real auth path rejects the token.
  const asFixtureUser = await production.get(`/tournaments/${tournament.id}`, {
    headers: {
      authorization: `Bearer ${token}`,
      'x-test-transaction': tx.id,
      cookie: 'e2e-session=1',
    },
  });
  expect(asFixtureUser.status).toBe(401);
  expect(asFixtureUser.data.error.code).toBe('unauthenticated');
  // The app itself is fine: the same server answers its health check.
  expect((await production.get('/health')).status).toBe(200);
});

test('when NODE_ENV is production, then the request override refuses to be built', () => {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    expect(() => createRequestOverride({ current: undefined })).toThrow(SharedSessionError);
    expect(() => createRequestOverride({ current: undefined })).toThrow(TESTING_SECTIONS.production);
  } finally {
    process.env.NODE_ENV = previous;
  }
});

test('when the app is built without the override, then its middleware stack does not contain it', async ({ app }) => {
  const productionApp = createApp({ sequelize: app.sequelize, models: app.models, sessionSecret: TEST_SESSION_SECRET });
  const override = createRequestOverride({ current: undefined });
  const testApp = createApp({ sequelize: app.sequelize, models: app.models, sessionSecret: TEST_SESSION_SECRET, testRequestOverride: override });

  const handlers = (a: typeof productionApp) =>
    (a.router as unknown as { stack: { handle: unknown }[] }).stack.map((layer) => layer.handle);
  expect(handlers(productionApp)).not.toContain(override);
  expect(handlers(testApp)[0]).toBe(override);
});

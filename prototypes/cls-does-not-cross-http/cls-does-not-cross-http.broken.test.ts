// Scenario: having met the 404 of invisible-fixture-data, the developer turns
// on Sequelize's CLS and runs each test body inside a CLS context that holds
// the test's transaction, so every query of the body, fixtures included, joins
// it. The requests still answer 404. AsyncLocalStorage follows async calls, not
// network hops: the handler runs in the async context of the server's socket,
// which the file's server (started once, in beforeAll) created outside any
// test, so the handler finds no transaction in CLS and queries the app's pool.
// (supertest's `request(app)` happens to start a fresh server inside the
// test's context and so would see the transaction, with no savepoints and no
// lock: see aborted-transaction and concurrent-requests-lose-writes.)
import type { Server } from 'node:http';
import request from 'supertest';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { clsNamespace } from '../../src/testing/index.ts';
import { NaiveSharedTransaction } from '../naive-shared-transaction.ts';
import { startScratchApp, type ScratchApp } from '../scratch-app.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'cls-does-not-cross-http';
Sequelize.useCLS(clsNamespace);

let old: ScratchApp;
const shared = new NaiveSharedTransaction();
let server: Server;
let staff: string;

beforeAll(async () => {
  old = await startScratchApp(topic);
  // Committed once for the file, so that the 404 below is about the tournament alone.
  staff = await old.bearer(await old.factories.user('staff'));
  // One server per file, started outside any test: the usual setup.
  server = await old.listen();
});
afterAll(async () => {
  await old?.drop();
});

// #region old
/** The test body in CLS: the fixture joins the transaction without a `transaction` option, then one request. */
function fetchFixtureTournamentInCls() {
  return shared.run(old.sequelize, async () => {
    const tournament = await old.factories.tournament({ name: 'Spring Jam' });
    const seenByTheTest = await old.models.Tournament.count();
    // ❌ the handler runs in the server socket's async context, which holds no transaction.
    const res = await request(server).get(`/tournaments/${tournament.id}`).set('authorization', staff);
    return { res, seenByTheTest };
  });
}
// #endregion old

test.fails('when the test body runs in a CLS transaction, then its requests see the fixture (the naive expectation)', async ({ task }) => {
  const { res } = await fetchFixtureTournamentInCls();
  recordOutcome(task, { topic, side: 'old', outcome: `${res.status}` });
  expect(res.status).toBe(200);
});

// #region old-outcome
test('when the test body sees its fixture through CLS, then the request still gets 404', async ({ task }) => {
  const { res, seenByTheTest } = await fetchFixtureTournamentInCls();
  recordOutcome(task, { topic, side: 'old', outcome: `test body sees ${seenByTheTest} row, request gets ${res.status}` });
  expect(seenByTheTest).toBe(1);
  expect(res.status).toBe(404);
});
// #endregion old-outcome

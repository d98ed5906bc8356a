// Scenario: requests share the test's transaction through a home-made override
// that also opens a SAVEPOINT per request and rolls back to it after an error
// response (naive override 2 in ../naive-shared-transaction.ts), but has no
// lock. Two requests of one test run at once: a login with a wrong password
// (slow on purpose: the password KDF) and a staff user creating a tournament.
// Both run on the test's one connection, so their savepoints nest instead of
// being side by side: SAVEPOINT of the login, SAVEPOINT of the create, INSERT,
// RELEASE, and then the login's 401 rolls back to ITS savepoint, which undoes
// the INSERT made after it. The create was answered 201, no error is raised
// anywhere, and the tournament is gone. Runs on a scratch database.
import { once } from 'node:events';
import type { Server } from 'node:http';
import request from 'supertest';
import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { clsNamespace } from '../../src/testing/index.ts';
import { NaiveSharedTransaction } from '../naive-shared-transaction.ts';
import { startScratchApp, type ScratchApp } from '../scratch-app.ts';
import { runTestsOneAtATime } from '../one-test-at-a-time.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'concurrent-requests-lose-writes';
// One test at a time, even under --sequence.concurrent: the shared override holds one transaction at a time, and each test waits for the server's next request.
runTestsOneAtATime();
Sequelize.useCLS(clsNamespace);

let old: ScratchApp;
let server: Server;
const shared = new NaiveSharedTransaction();

beforeAll(async () => {
  old = await startScratchApp(topic, { testRequestOverride: shared.savepointOverride() });
  server = await old.listen();
});
afterAll(async () => {
  await old?.drop();
});

/** A failed login and a tournament creation, sent at the same time within one test. */
function failedLoginBesideCreate() {
  return shared.run(old.sequelize, async () => {
    const user = await old.factories.user('staff');
    const staff = await old.bearer(user);
    // #region old
    // The login goes first; the create is sent once the login has reached the server.
    const loginArrived = once(server, 'request');
    const login = request(server)
      .post('/auth/login')
      .send({ email: user.email, password: 'not the password' })
      .then((res) => res.status);
    await loginArrived;
    // ❌ no lock: the create's savepoint nests inside the login's, on the test's one connection.
    const created = await request(server).post('/tournaments').set('authorization', staff).send({ name: 'Spring Jam' });
    const loginStatus = await login;
    const kept = await old.models.Tournament.count();
    // #endregion old
    return { login: loginStatus, created: created.status, kept };
  });
}

test.fails('when a failed login and a create run at once, then the created tournament is kept (the naive expectation)', async ({ task }) => {
  const seen = await failedLoginBesideCreate();
  recordOutcome(task, { topic, side: 'old', outcome: `${seen.created} answered, ${seen.kept} row kept` });
  expect(seen.kept).toBe(1);
});

// #region old-outcome
test("when the login's 401 rolls back to its savepoint, then the create answered 201 has silently lost its row", async ({ task }) => {
  const seen = await failedLoginBesideCreate();
  recordOutcome(task, { topic, side: 'old', outcome: `login ${seen.login} beside create ${seen.created}: ${seen.kept} of 1 row kept (write lost, no error)` });
  expect(seen.login).toBe(401);
  expect(seen.created).toBe(201);
  expect(seen.kept).toBe(0);
});
// #endregion old-outcome

// Tests marked concurrent run beside each other, each in a transaction of its
// own on a connection of its own, as Ecto's async sandbox tests do. Requests
// reach the right test through the identity the kit's clients send; an
// untagged request is refused while several tests run. What concurrent tests
// on one database can still collide on (a unique key of an uncommitted row, a
// deadlock) is shown with two sessions side by side.
import axios from 'axios';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { SharedSessionError, TESTING_SECTIONS } from '../errors.ts';
import { TestSession } from '../session.ts';
import { createSharedSessionTest, RunningTests } from '../vitest.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';
import { inSession } from './in-session.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

test.describe.concurrent('three tests of one file marked concurrent', () => {
  for (const n of [1, 2, 3]) {
    test(`when test ${n} writes through its client while the others run, then it sees its own row only`, async ({ clientFor }) => {
      const client = await clientFor();

      expect((await client.post('/people')).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the others write meanwhile, in their own transactions

      expect(await Person.count()).toBe(1);
    });
  }

  test('when a request without the test identity arrives while several tests run, then it is refused', async ({ kit, server, expect }) => {
    await expect.poll(() => kit.runningTests.runningCount, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);

    const res = await axios.post(`${server.url}/people`, {}, { validateStatus: () => true });

    expect(res.status).toBe(500);
    expect(res.data.error.message).toMatch(/^Untagged request while several tests are running/);
  });
});

test('when a test not marked concurrent starts while another runs, then the error names the fix and the section', () => {
  const slot = new RunningTests();
  const first = slot.claim('first');

  const refusal = (() => {
    try {
      slot.claim('second');
    } catch (error) {
      return error;
    }
  })();

  expect(refusal).toBeInstanceOf(SharedSessionError);
  const message = (refusal as SharedSessionError).message;
  expect(message).toMatch(/^Two tests share one file server at once \("first" and "second"\), and not both are marked concurrent/);
  expect(message).toContain('Fix: mark tests that run together with `.concurrent`');
  expect(message).toContain(`See the kit's FAQ.md, section "${TESTING_SECTIONS.concurrentTests}".`);
  slot.release(first);
  expect(() => slot.claim('third')).not.toThrow();
});

test('when two concurrent tests insert the same unique key, then the second waits until the first rolls back', async ({ app }) => {
  const first = await TestSession.begin(app.sequelize, 'first');
  const second = await TestSession.begin(app.sequelize, 'second');
  try {
    await inSession(first, () => Person.create({ email: 'same@example.com', name: 'First' }));
    let settled = false;
    const waiting = inSession(second, () => Person.create({ email: 'same@example.com', name: 'Second' })).finally(() => (settled = true));

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false); // blocked on the first test's uncommitted row
    await first.end();

    await expect(waiting).resolves.toBeTruthy(); // the first rolled back: no conflict was ever committed
  } finally {
    await Promise.all([first.end(), second.end()]);
  }
});

test('when two concurrent tests lock two rows in opposite orders, then PostgreSQL detects the deadlock and fails one', async ({ app }) => {
  const first = await TestSession.begin(app.sequelize, 'first');
  const second = await TestSession.begin(app.sequelize, 'second');
  try {
    const lock = (session: TestSession, key: number) => inSession(session, () => app.sequelize.query(`SELECT pg_advisory_xact_lock(${key})`));
    await lock(first, 1);
    await lock(second, 2);

    const outcomes = await Promise.allSettled([lock(first, 2), lock(second, 1)]);

    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/deadlock detected/);
  } finally {
    await Promise.all([first.end(), second.end()]);
  }
});

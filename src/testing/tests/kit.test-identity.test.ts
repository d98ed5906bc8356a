// Requests are attributed to the test that made them. A test that fires a
// request on a timer and ends without awaiting it must not have that request
// served inside the next test's transaction. The kit's clients carry their
// test's identity; the file server routes by it and refuses what it cannot place.
import axios from 'axios';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { kitStorage } from '../cls.ts';
import { TESTING_SECTIONS } from '../errors.ts';
import { createRequestOverride, TEST_ID_HEADER } from '../request-override.ts';
import { TestSession } from '../session.ts';
import { createSharedSessionTest, RunningTests } from '../vitest.ts';
import { startTestServer } from '../test-server.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

/** A file server of its own with its own slot, so one test can play two tests in a row. */
async function serverWithSlot() {
  const tests = new RunningTests();
  const server = await startTestServer(createToyApp(createRequestOverride(tests)));
  const post = (headers: Record<string, string> = {}) => axios.post(`${server.url}/people`, {}, { headers, validateStatus: () => true });
  return { tests, server, post };
}

const countIn = (session: TestSession) =>
  kitStorage.run({ values: new Map([['transaction', session.transaction]]), session }, () => Person.count());

test('when a request of an ended test arrives during the next test, then it is refused and the next test sees nothing of it', async ({ app }) => {
  const { tests, server, post } = await serverWithSlot();
  try {
    const first = await TestSession.begin(app.sequelize, 'first');
    tests.claim('first');
    tests.start(first);
    tests.ending(first);
    await first.end();
    tests.release();
    const second = await TestSession.begin(app.sequelize, 'second');
    tests.claim('second');
    tests.start(second);
    try {
      // What a timer of "first" sends after "first" ended.
      const late = await post({ [TEST_ID_HEADER]: first.id });

      expect(late.status).toBe(500);
      expect(late.data.error.message).toMatch(/^Request from a test that has ended: POST \/people was sent by "first"/);
      expect(late.data.error.message).toContain(`See the kit's FAQ.md, section "${TESTING_SECTIONS.endedTest}".`);
      expect(await countIn(second)).toBe(0);
      // The running test's own tagged request is served in its transaction.
      expect((await post({ [TEST_ID_HEADER]: second.id })).status).toBe(201);
      expect(await countIn(second)).toBe(1);
    } finally {
      tests.ending(second);
      await second.end();
      tests.release();
    }
  } finally {
    await server.close();
  }
});

test('when an untagged request arrives, then it goes to the one running test, and is refused while several run', async ({ app }) => {
  const { tests, server, post } = await serverWithSlot();
  const one = await TestSession.begin(app.sequelize, 'one');
  const two = await TestSession.begin(app.sequelize, 'two');
  try {
    tests.start(one);
    expect((await post()).status).toBe(201);
    expect(await countIn(one)).toBe(1);

    tests.start(two);
    const refused = await post();

    expect(refused.status).toBe(500);
    expect(refused.data.error.message).toMatch(/^Untagged request while several tests are running: POST \/people carries no test identity/);
    expect(refused.data.error.message).toContain(TEST_ID_HEADER);
    expect(await countIn(two)).toBe(0);
  } finally {
    await Promise.all([one.end(), two.end()]);
    await server.close();
  }
});

test('when the test uses clientFor, then its requests carry the test identity', async ({ clientFor }) => {
  const client = await clientFor();

  expect(client.defaults.headers[TEST_ID_HEADER]).toMatch(/^[0-9a-f-]{36}$/);
  expect((await client.post('/people')).status).toBe(201);
});

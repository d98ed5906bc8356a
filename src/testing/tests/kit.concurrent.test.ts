// Requests reach the app through one server per file and are routed to the one
// test that is running, so two tests of a file must not run at once. The kit
// refuses the second with an error that names the fix, instead of letting the
// two share (and roll back) each other's data.
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { SharedSessionError, TESTING_SECTIONS } from '../errors.ts';
import { createSharedSessionTest, RunningTests } from '../vitest.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

test.describe.concurrent('two tests of one file started together', () => {
  test('when it starts first, then it owns the file server and runs', async ({ clientFor }) => {
    await new Promise((resolve) => setTimeout(resolve, 200)); // still running when the second one starts
    expect((await (await clientFor()).post('/people')).status).toBe(201);
  });

  test.fails('when it starts second, then the kit refuses it (expected fail)', async () => {
    expect(await Person.count()).toBeGreaterThanOrEqual(0);
  });
});

test('when a second test claims the file server while the first owns it, then the error names the fix and the section', () => {
  const slot = new RunningTests();
  slot.claim('first');

  const refusal = (() => {
    try {
      slot.claim('second');
    } catch (error) {
      return error;
    }
  })();

  expect(refusal).toBeInstanceOf(SharedSessionError);
  const message = (refusal as SharedSessionError).message;
  expect(message).toMatch(/^Two tests share one file server at once \("first" and "second"\)/);
  expect(message).toContain('Fix: remove `.concurrent`');
  expect(message).toContain(`See TESTING.md, section "${TESTING_SECTIONS.concurrentTests}".`);
  slot.release();
  expect(() => slot.claim('third')).not.toThrow();
});

// The kit's errors that a request can meet, seen from the client: each is a
// JSON error that says what happened, how to fix it, and where TESTING.md explains it.
import axios from 'axios';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { TESTING_SECTIONS } from '../errors.ts';
import { createSharedSessionTest } from '../vitest.ts';
import { connectToy, createToyApp } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
  lockTimeoutMs: 200,
});

let refusedOutsideTest: { status: number; data: { error: { code: string; message: string } } } | undefined;

test.beforeAll(async ({ server }) => {
  // No test is running yet: a request now would commit for good, so the override refuses it.
  const res = await axios.get(`${server.url}/people/1`, { validateStatus: () => true });
  refusedOutsideTest = { status: res.status, data: res.data };
});

test('when a request arrives while no test runs, then it is refused and the error names the fix', () => {
  expect(refusedOutsideTest?.status).toBe(500);
  expect(refusedOutsideTest?.data.error.code).toBe('test_kit_error');
  expect(refusedOutsideTest?.data.error.message).toMatch(/^Request outside a test transaction/);
  expect(refusedOutsideTest?.data.error.message).toContain('Fix: make requests inside a test body');
  expect(refusedOutsideTest?.data.error.message).toContain(`See the kit's FAQ.md, section "${TESTING_SECTIONS.outsideTest}".`);
});

test('when a request waits longer than lockTimeoutMs for another request of the test, then 503 with the lock error', async ({ clientFor }) => {
  const client = await clientFor();

  const [slow, starved] = await Promise.all([client.get('/slow'), client.get('/people/1')]);

  expect(slow.status).toBe(200);
  expect(starved.status).toBe(503);
  expect(starved.data.error.message).toMatch(/^Timed out waiting for the test transaction lock/);
  expect(starved.data.error.message).toContain(`See the kit's FAQ.md, section "${TESTING_SECTIONS.lockTimeout}".`);
});

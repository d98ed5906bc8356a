// What the kit refuses in a Vitest suite.
import axios from 'axios';
import { test, expect } from './fixtures.mjs';

// #region before-all-refused
let beforeAllResponse;

// No test is running in beforeAll, so there is no transaction to serve a request in.
test.beforeAll(async ({ server }) => {
  beforeAllResponse = await axios.get(`${server.url}/categories`, { validateStatus: () => true });
});

test('when a request is sent from beforeAll, then it is refused with 500', () => {
  expect(beforeAllResponse.status).toBe(500);
  expect(JSON.stringify(beforeAllResponse.data)).toContain('Request outside a test transaction');
});
// #endregion before-all-refused

test('when a fixture is registered with auto: true, then the kit refuses it (it would run before the transaction)', () => {
  expect(() => test.extend('seedUser', { auto: true }, async () => {})).toThrow(/^Auto fixtures cannot join the test transaction/);
});

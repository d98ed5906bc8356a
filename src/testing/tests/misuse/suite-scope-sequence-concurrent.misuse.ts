// Run with --sequence.concurrent: a suite-scoped block declared with a plain
// `describe`, whose tests the flag makes concurrent (one transaction cannot
// serve them at once), beside a test of its own that must still pass.
import { describe, expect } from 'vitest';
import { useSuiteTransaction } from '../../vitest.ts';
import { Person } from '../toy-app.ts';
import { test } from './toy-fixtures.ts';

describe('a plain describe block in suite scope', () => {
  useSuiteTransaction(test);

  test('its test, made concurrent by the flag', async () => {});
});

test('a test beside the block', async ({ clientFor }) => {
  expect((await (await clientFor()).post('/people')).status).toBe(201);
  expect(await Person.count()).toBe(1);
});

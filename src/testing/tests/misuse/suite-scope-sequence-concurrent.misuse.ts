// Run with --sequence.concurrent, which makes every test concurrent unless
// its block says otherwise. A suite-scoped block says otherwise for the tests
// declared after `useSuiteTransaction(test)`: they chain in its one
// transaction while the file's other tests run concurrently beside it.
import { describe, expect } from 'vitest';
import { useSuiteTransaction } from '../../vitest.ts';
import { Person } from '../toy-app.ts';
import { test } from './toy-fixtures.ts';

describe('a plain describe block in suite scope', () => {
  useSuiteTransaction(test);

  test('its first test writes a row', async ({ clientFor }) => {
    expect((await (await clientFor()).post('/people')).status).toBe(201);
  });

  test("its second test sees the first test's row", async () => {
    expect(await Person.count()).toBe(1);
  });
});

test('a concurrent test of the file sees none of the block rows', async () => {
  expect(await Person.count()).toBe(0);
});

test('another concurrent test of the file sees none either', async () => {
  expect(await Person.count()).toBe(0);
});

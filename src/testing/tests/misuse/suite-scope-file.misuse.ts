// A whole file in suite scope: `useSuiteTransaction(test)` at top level makes
// the file one block, its tests chained in one transaction. Run with and
// without --sequence.concurrent.
import { expect } from 'vitest';
import { useSuiteTransaction } from '../../vitest.ts';
import { Person } from '../toy-app.ts';
import { test } from './toy-fixtures.ts';

useSuiteTransaction(test);

test('the first test of the file writes a row', async ({ clientFor }) => {
  expect((await (await clientFor()).post('/people')).status).toBe(201);
});

test("the second test sees the first test's row", async () => {
  expect(await Person.count()).toBe(1);
});

test('the third test writes another', async ({ clientFor }) => {
  expect((await (await clientFor()).post('/people')).status).toBe(201);
  expect(await Person.count()).toBe(2);
});

// Misuse, run with --sequence.concurrent: a test declared before
// `useSuiteTransaction(test)`, so the flag has already made it concurrent,
// inside a block that runs in one transaction; beside it, a test of the file.
import { describe, expect } from 'vitest';
import { useSuiteTransaction } from '../../vitest.ts';
import { Person } from '../toy-app.ts';
import { test } from './toy-fixtures.ts';

describe('a block whose test comes before useSuiteTransaction', () => {
  test('declared before the call', async () => {});

  useSuiteTransaction(test);
});

test('a test beside the block', async ({ clientFor }) => {
  expect((await (await clientFor()).post('/people')).status).toBe(201);
  expect(await Person.count()).toBe(1);
});

// Two modules that call createSharedSessionTest, imported by one file: each
// test must run in the transaction of its own module's kit, once.
import { expect } from 'vitest';
import { test } from './toy-fixtures.ts';
import './other-toy-fixtures.ts';
import { Person } from '../toy-app.ts';

test('uses the first fixtures module', async ({ clientFor }) => {
  expect((await (await clientFor()).post('/people')).status).toBe(201);
  expect(await Person.count()).toBe(1);
});

// Closes the app's Sequelize instance after its tests, as Jest projects do in
// every file (Jest gives each file a fresh module registry, Vitest's isolate: false does not).
import { afterAll, expect } from 'vitest';
import { Person } from '../toy-app.ts';
import { test } from '../misuse/toy-fixtures.ts';

test('counts people, then the file closes the app', async ({ tx }) => {
  expect(await Person.count({ transaction: tx })).toBe(0);
});

afterAll(() => Person.sequelize!.close());

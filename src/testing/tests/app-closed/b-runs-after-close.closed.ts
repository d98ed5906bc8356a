// Runs after the file that closed the app's Sequelize instance, in the same worker.
import { expect } from 'vitest';
import { Person } from '../toy-app.ts';
import { test } from '../misuse/toy-fixtures.ts';

test('counts people in the next file', async ({ tx }) => {
  expect(await Person.count({ transaction: tx })).toBe(0);
});

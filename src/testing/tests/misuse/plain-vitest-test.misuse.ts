// Misuse: a test declared with Vitest's own `test` in a file that imports the kit's fixtures.
import { test as vitestTest } from 'vitest';
import './toy-fixtures.ts';
import { Person } from '../toy-app.ts';

vitestTest('declared with vitest test', async () => {
  await Person.count();
});

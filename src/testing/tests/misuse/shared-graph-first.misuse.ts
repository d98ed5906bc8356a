// Misuse when run with --no-isolate: this file and its twin share one module graph.
import { test } from './toy-fixtures.ts';
import { Person } from '../toy-app.ts';

test('counts people in the first file', async ({ tx }) => {
  await Person.count({ transaction: tx });
});

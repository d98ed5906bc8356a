// Misuse: two modules that call createSharedSessionTest, imported by one file.
import { test } from './toy-fixtures.ts';
import './other-toy-fixtures.ts';
import { Person } from '../toy-app.ts';

test('uses the first fixtures module', async () => {
  await Person.count();
});

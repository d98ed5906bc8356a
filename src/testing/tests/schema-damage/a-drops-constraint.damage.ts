// Damage: DDL committed through a raw pg client in beforeAll, outside any test
// transaction. Its test passes; the file must still fail, naming the constraint.
import pg from 'pg';
import { expect } from 'vitest';
import { Person } from '../toy-app.ts';
import { test } from './toy-fixtures.ts';

test.beforeAll(async ({ databaseUrl }) => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('ALTER TABLE users DROP CONSTRAINT users_email_key');
  } finally {
    await client.end();
  }
});

test('runs after the damage', async () => {
  expect(await Person.count()).toBe(0);
});

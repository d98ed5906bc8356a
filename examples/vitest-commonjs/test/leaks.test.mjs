// The negative controls: a failed test leaves nothing behind, and a row
// committed outside the kit IS caught by the per-file check.
import pg from 'pg';
import { checkDatabaseAgainstTemplate, providedDatabase } from 'sequelize-shared-session';
import { test, expect } from './fixtures.mjs';

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

let productOfFailedTest;

test.fails('when a test fails after its POST was answered 201, then the runner sees the failure (its rows are checked after the file)', async ({ app, clientFor }) => {
  const admin = await clientFor('admin');
  const res = await admin.post('/products', { name: 'Left by a failed test', category: 'books' });
  if (res.status === 201) productOfFailedTest = res.data.id;
  expect(await app.models.Product.findByPk(res.data.id)).not.toBeNull();

  throw new Error('failing on purpose');
});

test('when a row is committed with a raw pg client, then nothing rolls it back (the check below catches it)', async ({ databaseUrl }) => {
  await sql(databaseUrl, "INSERT INTO users (email, password_hash, role) VALUES ('leak@example.test', 'x', 'member')");
});

// Runs the per-file check itself (the kit runs it again after this hook, and then finds the database clean).
test.afterAll(async ({ databaseUrl }) => {
  expect(productOfFailedTest).toEqual(expect.any(Number));
  expect(await sql(databaseUrl, `SELECT 1 FROM products WHERE id = ${productOfFailedTest}`)).toEqual([]);

  await expect(checkDatabaseAgainstTemplate(databaseUrl, await providedDatabase())).rejects.toThrow(/^Rows left behind after this file: users \(1\)\./);

  expect(await sql(databaseUrl, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 0 }]);
  expect(await sql(databaseUrl, 'SELECT name FROM categories ORDER BY id')).toEqual([{ name: 'books' }, { name: 'music' }, { name: 'games' }]);
});

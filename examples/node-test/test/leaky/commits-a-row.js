'use strict';
// Run by leak-is-caught.test.js only (not a *.test.js file): a test that passes
// while committing rows outside its transaction, on a connection of its own.
const { Client } = require('pg');
const { test } = require('../kit');

test('commits a row on a second connection', async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query("INSERT INTO users (email, role, created_at, updated_at) VALUES ('leak@example.test', 'editor', now(), now()) RETURNING id");
    await client.query("INSERT INTO notes (text, author_id, created_at, updated_at) VALUES ('leaked', $1, now(), now())", [rows[0].id]);
  } finally {
    await client.end();
  }
});

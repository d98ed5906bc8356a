// Run by child-runs.test.js only: a row committed on a connection of its own, outside the kit.
const { Client } = require('pg');

it('commits a row with a raw pg client', async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("INSERT INTO users (email, role, created_at, updated_at) VALUES ('leak@example.test', 'reader', now(), now())");
  await client.end();
});

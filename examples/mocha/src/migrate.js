// The schema, as a migration would create it.
const { Client } = require('pg');

async function migrate(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE users (
        id serial PRIMARY KEY,
        email text NOT NULL UNIQUE,
        role text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE articles (
        id serial PRIMARY KEY,
        title text NOT NULL,
        author_id integer NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );`);
  } finally {
    await client.end();
  }
}

module.exports = { migrate };

// The schema, as one migration (the kit's global setup runs it once on the template database).
const { Client } = require('pg');

module.exports = async function migrate(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE users (
        id serial PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'reader')),
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
      );
      CREATE TABLE notes (
        id serial PRIMARY KEY,
        title text NOT NULL UNIQUE,
        author_id integer NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
      );`);
  } finally {
    await client.end();
  }
};

'use strict';
// The schema, as the app's migrations would create it (no sync()).
const { Client } = require('pg');

async function migrate(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE users (
        id serial PRIMARY KEY,
        email text NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('viewer', 'editor')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE notes (
        id serial PRIMARY KEY,
        text text NOT NULL,
        author_id integer NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );`);
  } finally {
    await client.end();
  }
}

module.exports = { migrate };

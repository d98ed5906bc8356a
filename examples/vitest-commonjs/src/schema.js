// Migrations and seed data, as plain SQL on a connection URL (no sync()).
const { Client } = require('pg');

async function run(url, sql, params) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

function migrate(url) {
  return run(
    url,
    `CREATE TABLE categories (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
     CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, password_hash text NOT NULL,
                         role text NOT NULL CHECK (role IN ('admin', 'member')));
     CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL UNIQUE,
                            category_id int NOT NULL REFERENCES categories (id),
                            created_by int NOT NULL REFERENCES users (id))`,
  );
}

// #region seed
/** Reference data every environment has: the shop's categories. */
const SEED_CATEGORIES = ['books', 'music', 'games'];

function seed(url) {
  return run(url, 'INSERT INTO categories (name) SELECT unnest($1::text[])', [SEED_CATEGORIES]);
}
// #endregion seed

module.exports = { migrate, seed, SEED_CATEGORIES };

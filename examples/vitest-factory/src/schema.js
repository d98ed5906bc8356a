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
    `CREATE TABLE queues (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
     CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE,
                         role text NOT NULL CHECK (role IN ('staff', 'customer')));
     CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL,
                           queue_id int NOT NULL REFERENCES queues (id),
                           created_by int NOT NULL REFERENCES users (id))`,
  );
}

/** Reference data every environment has: the help desk's queues. */
const SEED_QUEUES = ['billing', 'technical'];

function seed(url) {
  return run(url, 'INSERT INTO queues (name) SELECT unnest($1::text[])', [SEED_QUEUES]);
}

module.exports = { migrate, seed, SEED_QUEUES };

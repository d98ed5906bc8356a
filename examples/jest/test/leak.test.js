// Negative control: a row committed outside the kit (a raw pg client on the
// same database) is caught by the per-file check. The check runs here, in this
// describe's afterAll (before the kit's own afterAll), so the suite stays green.
const { Client } = require('pg');
const { checkWorkerDatabase } = require('sequelize-shared-session');

describe('a row that leaks', () => {
  afterAll(async () => {
    await expect(checkWorkerDatabase(process.env.DATABASE_URL)).rejects.toThrow(/^Rows left behind after this file: users \(1\)/);
    // The check emptied the tables, so the kit's own check after this file passes.
    await expect(checkWorkerDatabase(process.env.DATABASE_URL)).resolves.toBeUndefined();
  });

  test('is committed by a client the kit does not know', async () => {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("INSERT INTO users (name, role, created_at, updated_at) VALUES ('leaked', 'reader', now(), now())");
    } finally {
      await client.end();
    }
  });
});

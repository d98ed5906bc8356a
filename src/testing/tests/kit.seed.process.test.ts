// Seed data (issue 10, item 5): createGlobalSetup({ seed }) writes the app's
// seed or reference data into the template once, every worker database is
// cloned with it, and the leak check compares each table's row count with the
// template's instead of zero. Each test runs a whole global setup in-process
// against the suite's server (as a second run would), under a prefix of its own.
import { describe, expect, test } from 'vitest';
import pg from 'pg';
import { createDatabaseFromTemplate, withDatabase } from '../admin.ts';
import { createGlobalSetup } from '../global-setup.ts';
import type { SharedSessionDatabaseInfo } from '../databases.ts';
import { checkDatabaseAgainstTemplate } from '../schema-fingerprint.ts';
import { TESTING_SECTIONS } from '../errors.ts';
import { sqlOn, suiteServerUrl } from './global-setup-harness.ts';

async function onDatabase(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A seeded run: categories hold 3 seed rows, things reference them, notes stand alone. Yields the run and a worker database. */
async function withSeededRun(label: string, fn: (info: SharedSessionDatabaseInfo, worker: string) => Promise<void>): Promise<void> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = suiteServerUrl();
  let info: SharedSessionDatabaseInfo | undefined;
  let teardown: () => Promise<void>;
  try {
    teardown = await createGlobalSetup({
      prefix: `${label}${process.pid}`,
      migrate: (url) =>
        onDatabase(url, `CREATE TABLE categories (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
          CREATE TABLE things (id serial PRIMARY KEY, category_id int NOT NULL REFERENCES categories (id));
          CREATE TABLE notes (id serial PRIMARY KEY, body text)`),
      seed: (url) => onDatabase(url, "INSERT INTO categories (name) VALUES ('books'), ('music'), ('games')"),
    })({ provide: ((_key: string, value: SharedSessionDatabaseInfo) => (info = value)) as never });
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
  const worker = `${info!.prefix}_w1`;
  try {
    await createDatabaseFromTemplate(suiteServerUrl(), worker, info!.template);
    await fn(info!, worker);
  } finally {
    await teardown();
  }
}

const count = async (database: string, table: string) => (await sqlOn(database, `SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

describe('seed data in the template', { timeout: 60_000 }, () => {
  test('when the global setup seeds, then every worker database holds the seed rows and the check calls them no leak', async () => {
    await withSeededRun('kitseed', async (info, worker) => {
      expect(info.templateRows).toEqual({ 'public.categories': 3 });
      expect((await sqlOn(worker, 'SELECT name FROM categories ORDER BY id')).rows.map((r) => r.name)).toEqual(['books', 'music', 'games']);

      await expect(checkDatabaseAgainstTemplate(withDatabase(suiteServerUrl(), worker), info)).resolves.toBeUndefined();
    });
  });

  test('when a row referencing a seed row is committed, then "Rows left behind" names its table, which is emptied, and the seed rows stay', async () => {
    await withSeededRun('kitseedleak', async (info, worker) => {
      await sqlOn(worker, "INSERT INTO things (category_id) SELECT id FROM categories WHERE name = 'music'");

      const failure = checkDatabaseAgainstTemplate(withDatabase(suiteServerUrl(), worker), info);

      await expect(failure).rejects.toThrow(/^Rows left behind after this file: things \(1\)\. .*\(the tables were emptied so/);
      await expect(failure).rejects.toThrow(`See the kit's FAQ.md, section "${TESTING_SECTIONS.leak}".`);
      expect(await count(worker, 'things')).toBe(0);
      expect(await count(worker, 'categories')).toBe(3);
    });
  });

  test('when a seeded table gains or loses rows, then the check names it with the template\'s count and clones the database again', async () => {
    await withSeededRun('kitseedmore', async (info, worker) => {
      const url = withDatabase(suiteServerUrl(), worker);
      await sqlOn(worker, "INSERT INTO categories (name) VALUES ('films')");
      await expect(checkDatabaseAgainstTemplate(url, info)).rejects.toThrow(
        /^Rows left behind after this file: categories \(4, template 3\)\. .*\(the database was cloned again from the template so/,
      );
      expect((await sqlOn(worker, 'SELECT name FROM categories ORDER BY id')).rows.map((r) => r.name)).toEqual(['books', 'music', 'games']);

      await sqlOn(worker, "DELETE FROM categories WHERE name = 'games'");
      await expect(checkDatabaseAgainstTemplate(url, info)).rejects.toThrow(/^Rows left behind after this file: categories \(2, template 3\)\./);
      expect(await count(worker, 'categories')).toBe(3);
    });
  });

  test('when a worker database keeps an extra seeded row at the end of the run, then the global teardown names it', async () => {
    const failure = withSeededRun('kitseedend', async (_info, worker) => {
      await sqlOn(worker, "INSERT INTO categories (name) VALUES ('films')");
      await sqlOn(worker, 'INSERT INTO notes (body) VALUES (NULL)');
    });

    await expect(failure).rejects.toThrow(/^Rows left behind after the full run in the shared-session databases:\n {2}kitseedend\d+_\S*w1: \{"categories":4,"notes":1\}/);
  });
});

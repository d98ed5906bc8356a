// Runs the kit's global setup inside a test file, against the suite's own
// server (through DATABASE_URL, as a second terminal or CI shard would), with
// a prefix of its own so the suite's databases are never touched.
import { inject } from 'vitest';
import pg from 'pg';
import { withAdminClient, withDatabase } from '../admin.ts';
import { createGlobalSetup } from '../global-setup.ts';
import type { SharedSessionDatabaseInfo } from '../databases.ts';

/** A global setup that ran: what it provided to workers, and its teardown. */
export interface HarnessRun {
  info: SharedSessionDatabaseInfo;
  teardown(): Promise<void>;
}

/** The suite's server: the one the current run's global setup started or was given. */
export function suiteServerUrl(): string {
  return inject('sharedSessionDatabase').serverUrl;
}

/** Runs `createGlobalSetup({ prefix })` with a one-table migration against the suite's server. */
export async function runGlobalSetup(prefix: string): Promise<HarnessRun> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = suiteServerUrl();
  try {
    let info: SharedSessionDatabaseInfo | undefined;
    const setup = createGlobalSetup({
      prefix,
      async migrate(url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query('CREATE TABLE things (id serial PRIMARY KEY, name text NOT NULL UNIQUE)');
        } finally {
          await client.end();
        }
      },
    });
    const teardown = await setup({
      provide: ((key: string, value: SharedSessionDatabaseInfo) => {
        if (key === 'sharedSessionDatabase') info = value;
      }) as never,
    });
    if (!info) throw new Error('the global setup provided nothing');
    return { info, teardown };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}

/** The databases on the suite's server whose names start with `prefix`. */
export async function databasesStartingWith(prefix: string): Promise<string[]> {
  return withAdminClient(suiteServerUrl(), async (client) => {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1", [prefix]);
    return result.rows.map((row) => row.datname);
  });
}

/** Runs SQL on one database of the suite's server. */
export async function sqlOn(database: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: withDatabase(suiteServerUrl(), database) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

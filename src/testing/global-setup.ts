import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from '../db/embedded-postgres.ts';
import { createDatabaseFromTemplate, dropDatabase, withAdminClient, withDatabase } from '../db/admin.ts';
import { countRows, DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';

/**
 * What the kit's global setup needs from the app: how to migrate an empty database.
 *
 * @example
 * ```ts
 * const options: GlobalSetupOptions = { migrate: (url) => migrateDatabase(url), referenceTables: ['SequelizeMeta', 'countries'] };
 * export default createGlobalSetup(options);
 * ```
 */
export interface GlobalSetupOptions {
  /** Brings the (empty) database at `databaseUrl` to the app's current schema. */
  migrate(databaseUrl: string): Promise<void>;
  /** Prefix of every database the kit creates. Default `e2e`. */
  prefix?: string;
  /** Tables the leak check ignores. Default `['SequelizeMeta']`. */
  referenceTables?: string[];
}

async function listKitDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  return withAdminClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1`,
      [`${prefix}\\_%`],
    );
    return result.rows.map((row) => row.datname);
  });
}

/**
 * Builds Vitest's global setup: start PostgreSQL (embedded, or the server in
 * `DATABASE_URL`), drop databases a crashed run left behind, migrate a template
 * database once, and tell the workers where it is. Every worker then clones
 * its own database from the template (see `workerDatabaseUrl`).
 *
 * The returned teardown checks that every worker database is empty (the proof
 * that no test leaked rows), drops the kit's databases and stops PostgreSQL.
 *
 * @example
 * ```ts
 * // src/e2e/global-setup.ts
 * export default createGlobalSetup({ migrate: (url) => migrateDatabase(url) });
 * ```
 */
export function createGlobalSetup(options: GlobalSetupOptions) {
  const prefix = options.prefix ?? 'e2e';
  const template = `${prefix}_template`;
  const referenceTables = options.referenceTables ?? DEFAULT_REFERENCE_TABLES;

  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const server: PostgresServer = await startPostgres();
    try {
      for (const stale of await listKitDatabases(server.url, prefix)) await dropDatabase(server.url, stale);
      await createDatabaseFromTemplate(server.url, template, 'template0');
      await options.migrate(withDatabase(server.url, template));
      const version = await withAdminClient(server.url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v);
      console.log(`[e2e-kit] PostgreSQL ${version} (${server.embedded ? 'embedded' : 'DATABASE_URL'}); template ${template} migrated`);
    } catch (error) {
      await server.stop();
      throw error;
    }
    project.provide('sharedSessionDatabase', { serverUrl: server.url, template, prefix });

    return async function teardown() {
      try {
        const leaks: string[] = [];
        for (const name of await listKitDatabases(server.url, prefix)) {
          if (!name.startsWith(`${prefix}_w`)) continue;
          const rows = await countRows(withDatabase(server.url, name), referenceTables);
          if (Object.keys(rows).length) leaks.push(`${name}: ${JSON.stringify(rows)}`);
        }
        if (leaks.length) {
          throw new SharedSessionError(
            `Rows left behind after the full run in the shared-session databases:\n  ${leaks.join('\n  ')}`,
            TESTING_SECTIONS.leak,
          );
        }
        console.log('[e2e-kit] after the full run every worker database is empty');
      } finally {
        for (const name of await listKitDatabases(server.url, prefix)) await dropDatabase(server.url, name);
        await server.stop();
      }
    };
  };
}

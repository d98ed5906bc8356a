import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from './embedded-postgres.ts';
import { createDatabaseFromTemplate, dropDatabase, withAdminClient, withDatabase } from './admin.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { claimRun, dropAbandonedRuns, listRunDatabases, type RunOwnership } from './run-ownership.ts';
import { DATABASE_INFO_ENV, publishDatabaseInfo } from './databases.ts';
import { countTableRows, inspectDatabase, schemaChangedMessage, schemaFingerprint, type SchemaFingerprint } from './schema-fingerprint.ts';

/**
 * What the kit's global setup needs from the app: how to migrate an empty database.
 *
 * @example
 * ```ts
 * const options: GlobalSetupOptions = { migrate: (url) => migrateDatabase(url), seed: (url) => seedDatabase(url), referenceTables: ['SequelizeMeta'] };
 * export default createGlobalSetup(options);
 * ```
 */
export interface GlobalSetupOptions {
  /** Brings the (empty) database at `databaseUrl` to the app's current schema. */
  migrate(databaseUrl: string): Promise<void>;
  /**
   * Prefix of every database the kit creates. Default `e2e`. Each run adds its
   * own id (`e2e_r<id>_...`), so runs sharing a server never touch each other's databases.
   */
  prefix?: string;
  /**
   * Writes the app's seed or reference data into the migrated template, once
   * per run. Every worker database is cloned with these rows, so tests can rely
   * on them, and the leak check then compares each table's row count with the
   * template's instead of zero: a leak is a table whose count differs.
   */
  seed?(databaseUrl: string): Promise<void>;
  /** Tables the leak check ignores. Default `['SequelizeMeta']`. */
  referenceTables?: string[];
}

/**
 * Builds Vitest's global setup: start PostgreSQL (embedded, or the server in
 * `DATABASE_URL`), claim a run id on it, drop the databases of runs that are
 * provably gone, migrate this run's template database once, and tell the
 * workers where it is. Every worker then clones its own database from the
 * template (see `workerDatabaseUrl`).
 *
 * Several runs may share one server (two terminals, CI shards): each run's
 * databases carry its id, and a run holds a session advisory lock for its
 * lifetime, so another run drops them only once that lock is free, that is
 * once the run has ended or died (see run-ownership.ts).
 *
 * The returned teardown checks that every worker database still has the
 * template's schema and rows (none, or what `seed` wrote: the proof that no
 * test leaked), drops
 * this run's databases, releases the run's lock and stops PostgreSQL.
 *
 * @example
 * ```ts
 * // src/e2e/global-setup.ts
 * export default createGlobalSetup({ migrate: (url) => migrateDatabase(url) });
 * ```
 */
export function createGlobalSetup(options: GlobalSetupOptions) {
  const basePrefix = options.prefix ?? 'e2e';
  const referenceTables = options.referenceTables ?? DEFAULT_REFERENCE_TABLES;

  // `project` is Vitest's; other runners call setup() without it and read the info from the environment.
  return async function setup(project?: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
    const server: PostgresServer = await startPostgres();
    let run: RunOwnership | undefined;
    let template = '';
    let templateSchema: SchemaFingerprint;
    let templateRows: Record<string, number>;
    try {
      // Claimed before any database exists, so no other run ever sees one of ours unclaimed.
      run = await claimRun(server.url, basePrefix);
      const dropped = await dropAbandonedRuns(server.url, basePrefix, run.id);
      template = `${run.prefix}_template`;
      await createDatabaseFromTemplate(server.url, template, 'template0');
      await options.migrate(withDatabase(server.url, template));
      if (options.seed) await options.seed(withDatabase(server.url, template));
      templateSchema = await schemaFingerprint(withDatabase(server.url, template));
      templateRows = await countTableRows(withDatabase(server.url, template), templateSchema, referenceTables);
      const version = await withAdminClient(server.url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v);
      console.log(`[e2e-kit] PostgreSQL ${version} (${server.embedded ? 'embedded' : 'DATABASE_URL'}); template ${template} migrated${options.seed ? ' and seeded' : ''}`);
      if (dropped.length) console.log(`[e2e-kit] dropped ${dropped.length} database(s) of runs that are gone: ${dropped.join(', ')}`);
    } catch (error) {
      await dropRunDatabases(server.url, run);
      await run?.release();
      await server.stop();
      throw error;
    }
    const ownRun = run;
    const info = { serverUrl: server.url, template, prefix: ownRun.prefix, templateSchema, templateRows };
    project?.provide('sharedSessionDatabase', info);
    // For every runner: workers inherit the environment, and read the info from this file.
    const previousInfoFile = process.env[DATABASE_INFO_ENV];
    const infoFile = publishDatabaseInfo(info);
    infoFileBefore.set(infoFile, previousInfoFile);

    return async function teardown() {
      if (ownRun.lost) {
        console.error(`[e2e-kit] this run lost the connection that holds its claim on ${ownRun.prefix}_*: another run starting meanwhile may have dropped its databases (look for "database ... does not exist" above)`);
      }
      try {
        const schemaProblems: string[] = [];
        const leaks: string[] = [];
        for (const name of await listRunDatabases(server.url, ownRun.prefix)) {
          if (!/_w\d+$/.test(name)) continue;
          const report = await inspectDatabase(withDatabase(server.url, name), templateSchema, referenceTables, templateRows);
          if (report.schemaChanges.length) schemaProblems.push(...report.schemaChanges.map((change) => `${name}: ${change}`));
          if (Object.keys(report.rows).length) leaks.push(`${name}: ${JSON.stringify(report.rows)}`);
        }
        if (schemaProblems.length) {
          const rows = leaks.length ? `\nRows left behind as well:\n  ${leaks.join('\n  ')}` : '';
          throw new SharedSessionError(`${schemaChangedMessage('the full run in the shared-session databases', schemaProblems)}${rows}`, TESTING_SECTIONS.schemaChanged);
        }
        if (leaks.length) {
          throw new SharedSessionError(
            `Rows left behind after the full run in the shared-session databases:\n  ${leaks.join('\n  ')}`,
            TESTING_SECTIONS.leak,
          );
        }
        console.log(`[e2e-kit] after the full run every worker database ${Object.keys(templateRows).length ? 'holds the template\'s rows' : 'is empty'} and has the template's schema`);
      } finally {
        try {
          await dropRunDatabases(server.url, ownRun);
        } finally {
          rmSync(infoFile, { force: true });
          restoreInfoFileEnv(infoFile);
          await ownRun.release();
          await server.stop();
        }
      }
    };
  };
}

/** For each info file this process published: what DATABASE_INFO_ENV held before. */
const infoFileBefore = new Map<string, string | undefined>();
const endedInfoFiles = new Set<string>();

/**
 * A setup run inside a test process (the kit's own tests run several, and end
 * them in any order) must not leave later files of that process pointing at a
 * deleted info file: point the variable back at the newest one still alive.
 */
function restoreInfoFileEnv(ended: string): void {
  endedInfoFiles.add(ended);
  let current = process.env[DATABASE_INFO_ENV];
  while (current !== undefined && endedInfoFiles.has(current)) current = infoFileBefore.get(current);
  if (current === undefined) delete process.env[DATABASE_INFO_ENV];
  else process.env[DATABASE_INFO_ENV] = current;
}

async function dropRunDatabases(serverUrl: string, run: RunOwnership | undefined): Promise<void> {
  if (!run) return;
  for (const name of await listRunDatabases(serverUrl, run.prefix)) await dropDatabase(serverUrl, name);
}

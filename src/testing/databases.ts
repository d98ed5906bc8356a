import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseFromTemplate, dropDatabase, withAdminClient, withDatabase } from './admin.ts';
import type { SchemaFingerprint } from './schema-fingerprint.ts';

/**
 * What the global setup hands to every worker (through Vitest's `provide`/`inject`).
 *
 * @example
 * ```ts
 * import { inject } from 'vitest';
 * const { serverUrl, template } = inject('sharedSessionDatabase');
 * ```
 */
export interface SharedSessionDatabaseInfo {
  /** URL of the server's maintenance database. */
  serverUrl: string;
  /** The migrated template every test database is cloned from. */
  template: string;
  /**
   * Prefix of every database this run creates (`<prefix>_r<run id>`, unique per
   * run), so teardown finds them and another run sharing the server leaves them alone.
   */
  prefix: string;
  /** The template's schema, which every worker database must still have after each file. */
  templateSchema: SchemaFingerprint;
  /**
   * The template's rows per table after migrating and seeding (schema-qualified
   * table to count, only tables that hold rows): the leak check compares each
   * worker database's counts with these. Absent (an older global setup): zero everywhere.
   */
  templateRows?: Record<string, number>;
}

/**
 * The environment variable that names the file where the global setup wrote
 * its {@link SharedSessionDatabaseInfo}. Test workers inherit it from the
 * process that ran the global setup, whatever the runner.
 *
 * @example
 * ```ts
 * const file = process.env[DATABASE_INFO_ENV];
 * ```
 */
export const DATABASE_INFO_ENV = 'E2E_KIT_DATABASE_INFO';

/**
 * Writes `info` to a file of this run and points {@link DATABASE_INFO_ENV} at it.
 *
 * @example
 * ```ts
 * const file = publishDatabaseInfo(info); // the global setup removes it at teardown
 * ```
 */
export function publishDatabaseInfo(info: SharedSessionDatabaseInfo): string {
  removeInfoFilesOfDeadRuns();
  const file = join(tmpdir(), `e2e-kit-${process.pid}-${info.prefix}.json`);
  writeFileSync(file, JSON.stringify(info));
  process.env[DATABASE_INFO_ENV] = file;
  return file;
}

/** Info files of runs killed before their teardown (kill -9): their process is gone. */
function removeInfoFilesOfDeadRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^e2e-kit-(\d+)-.*\.json$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(tmpdir(), name), { force: true });
    }
  }
}

let published: SharedSessionDatabaseInfo | undefined;

/**
 * What the kit's global setup provided: from the file named by
 * {@link DATABASE_INFO_ENV} (any runner), else through Vitest's `inject()`.
 * Vitest is imported only here, when needed, so that importing the kit
 * (index.ts) loads no test runner.
 *
 * @example
 * ```ts
 * const { serverUrl, template } = await providedDatabase();
 * ```
 */
export async function providedDatabase(): Promise<SharedSessionDatabaseInfo> {
  const file = process.env[DATABASE_INFO_ENV];
  if (file) return (published ??= JSON.parse(readFileSync(file, 'utf8')) as SharedSessionDatabaseInfo);
  const { inject } = await import('vitest');
  const info = inject('sharedSessionDatabase');
  if (!info) throw new Error('sharedSessionDatabase was not provided: add the kit global setup to vitest.config.ts (globalSetup).');
  return info;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedSessionDatabase: SharedSessionDatabaseInfo;
  }
}


/**
 * The worker's number: Vitest's and Jest's worker ids; otherwise (node:test runs
 * each file in a process of its own, Mocha in one process) the process id, so
 * two processes never share a database.
 */
function poolId(): string {
  return process.env.VITEST_POOL_ID ?? process.env.JEST_WORKER_ID ?? String(process.pid);
}

/**
 * The worker's own database (`<prefix>_w<VITEST_POOL_ID>`), cloned from the
 * migrated template the first time a file of this worker asks for it.
 * Workers never share a database, so files run in parallel. Several calls in
 * one process share one clone (the Vitest setup file starts it early).
 *
 * @example
 * ```ts
 * const url = await workerDatabaseUrl();
 * ```
 */
export async function workerDatabaseUrl(): Promise<string> {
  const info = await providedDatabase();
  const name = `${info.prefix}_w${poolId()}`;
  const key = `${info.serverUrl}\n${name}`;
  let url = workerDatabases.get(key);
  if (!url) {
    url = createWorkerDatabase(info, name);
    workerDatabases.set(key, url);
    // A failed clone is not remembered: the next caller tries again, and reports its own error.
    url.catch(() => workerDatabases.delete(key));
  }
  return url;
}

/** The worker databases this process asked for, by server and name (a process may see several runs' setups). */
const workerDatabases = new Map<string, Promise<string>>();

async function createWorkerDatabase(info: SharedSessionDatabaseInfo, name: string): Promise<string> {
  const exists = await withAdminClient(info.serverUrl, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  });
  if (!exists) await createDatabaseFromTemplate(info.serverUrl, name, info.template);
  return withDatabase(info.serverUrl, name);
}

/**
 * A database of its own, for code that commits (prototypes, standalone app tests).
 *
 * @example
 * ```ts
 * const scratch: ScratchDatabase = await createScratchDatabase('commit-workaround');
 * const sequelize = new Sequelize(scratch.url);
 * ```
 */
export interface ScratchDatabase {
  /** Connection URL of the database. */
  readonly url: string;
  /** The database's name on the server. */
  readonly name: string;
  /** Drops the database (close your connections to it first). */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database cloned from the migrated template, for tests that
 * commit or truncate and so must never touch the shared-session databases.
 *
 * @example
 * ```ts
 * const scratch = await createScratchDatabase('commit-workaround');
 * try { ... } finally { await scratch.drop(); }
 * ```
 */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const info = await providedDatabase();
  // 24 characters keep the name under PostgreSQL's 63 with the run's prefix (e2e_r<6>) and a 7-digit pid.
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 24);
  const name = `${info.prefix}_scratch_${safe}_w${poolId()}_${process.pid}`;
  await dropDatabase(info.serverUrl, name);
  await createDatabaseFromTemplate(info.serverUrl, name, info.template);
  return { url: withDatabase(info.serverUrl, name), name, drop: () => dropDatabase(info.serverUrl, name) };
}


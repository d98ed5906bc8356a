import pg from 'pg';
import { createDatabaseFromTemplate, databaseOf, dropDatabase, quoteIdent, withDatabase } from './admin.ts';
import { providedDatabase, type SharedSessionDatabaseInfo } from './databases.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';

/**
 * One schema object of a database, as the fingerprint records it.
 *
 * @example
 * ```ts
 * const object: SchemaObject = { kind: 'constraint', table: 'public.users', name: 'users_email_key', definition: 'UNIQUE (email)' };
 * ```
 */
export interface SchemaObject {
  /** What the object is. */
  kind: 'table' | 'column' | 'constraint' | 'index';
  /** The schema-qualified relation the object belongs to (for a table, the table itself). */
  table: string;
  /** The object's own name (for a table, its qualified name again). */
  name: string;
  /** What must stay equal: the relation kind, a column's type, nullability and default, a constraint's or index's definition. */
  definition: string;
}

/**
 * The schema of a database as plain data (so the global setup can hand the
 * template's to every worker through `provide`): every table, view, column,
 * constraint and index outside PostgreSQL's own schemas, sorted.
 *
 * @example
 * ```ts
 * const fingerprint: SchemaFingerprint = await schemaFingerprint(templateUrl);
 * ```
 */
export type SchemaFingerprint = SchemaObject[];

// One catalog query: a few milliseconds on an app schema, and no per-table round trips.
// Every relation kind a test could create or drop counts, not only tables of `public`.
const FINGERPRINT_SQL = `
WITH rels AS (
  SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified, c.relkind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
)
SELECT 'table' AS kind, qualified AS "table", qualified AS name,
       CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                    WHEN 'm' THEN 'materialized view' ELSE 'foreign table' END AS definition
FROM rels
UNION ALL
SELECT 'column', rels.qualified, quote_ident(a.attname),
       format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
         || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
FROM rels
JOIN pg_attribute a ON a.attrelid = rels.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
UNION ALL
SELECT 'constraint', rels.qualified, quote_ident(con.conname), pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN rels ON rels.oid = con.conrelid
UNION ALL
SELECT 'index', rels.qualified, quote_ident(ic.relname), pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN rels ON rels.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
ORDER BY 1, 2, 3`;

/** The base tables among a fingerprint's objects (views hold no rows of their own). */
function baseTables(fingerprint: SchemaFingerprint): string[] {
  return fingerprint.filter((o) => o.kind === 'table' && (o.definition === 'table' || o.definition === 'partitioned table')).map((o) => o.table);
}

async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function readFingerprint(client: Queryable): Promise<SchemaFingerprint> {
  return client.query<SchemaObject>(FINGERPRINT_SQL).then((result) => result.rows);
}

/**
 * Reads the schema fingerprint of a database.
 *
 * @example
 * ```ts
 * expect(await schemaFingerprint(workerUrl)).toEqual(await schemaFingerprint(templateUrl));
 * ```
 */
export function schemaFingerprint(databaseUrl: string): Promise<SchemaFingerprint> {
  return withClient(databaseUrl, readFingerprint);
}

function describeObject(object: SchemaObject): string {
  return object.kind === 'table' ? `${object.definition} ${object.table}` : `${object.kind} ${object.table}.${object.name}`;
}

/**
 * What differs between two fingerprints, one readable line per object:
 * `missing ...` (in the template, not in the database), `extra ...` and
 * `changed ...`. The columns, constraints and indexes of a missing or extra
 * table are not listed again.
 *
 * @example
 * ```ts
 * diffSchemas(template, worker); // ['missing constraint public.users.users_email_key (UNIQUE (email))']
 * ```
 */
export function diffSchemas(expected: SchemaFingerprint, actual: SchemaFingerprint): string[] {
  const key = (o: SchemaObject) => `${o.kind} ${o.table} ${o.name}`;
  const expectedByKey = new Map(expected.map((o) => [key(o), o]));
  const actualByKey = new Map(actual.map((o) => [key(o), o]));
  const missingTables = new Set(expected.filter((o) => o.kind === 'table' && !actualByKey.has(key(o))).map((o) => o.table));
  const extraTables = new Set(actual.filter((o) => o.kind === 'table' && !expectedByKey.has(key(o))).map((o) => o.table));
  const lines: string[] = [];
  for (const [k, o] of expectedByKey) {
    const now = actualByKey.get(k);
    if (!now) {
      if (o.kind === 'table' || !missingTables.has(o.table)) lines.push(`missing ${describeObject(o)} (${o.definition})`);
    } else if (now.definition !== o.definition) {
      lines.push(`changed ${describeObject(o)} (was ${o.definition}, now ${now.definition})`);
    }
  }
  for (const [k, o] of actualByKey) {
    if (!expectedByKey.has(k) && (o.kind === 'table' || !extraTables.has(o.table))) lines.push(`extra ${describeObject(o)} (${o.definition})`);
  }
  return lines;
}

/**
 * What a database holds that a clean clone of the template does not.
 *
 * @example
 * ```ts
 * const report: DatabaseInspection = await inspectDatabase(url, templateFingerprint);
 * ```
 */
export interface DatabaseInspection {
  /** `diffSchemas(template, database)`: empty when the schema is the template's. */
  schemaChanges: string[];
  /**
   * Rows per table (reference tables aside), only tables whose count differs
   * from the template's (from zero, for a template without seed data).
   */
  rows: Record<string, number>;
  /** The same tables schema-qualified and quoted, ready for SQL (TRUNCATE). */
  leakedTables: string[];
  /** One readable entry per such table: `users (2)`, or `categories (5, template 3)` for a table the template holds rows in. */
  leaks: string[];
}

function isReferenceTable(qualified: string, referenceTables: readonly string[]): boolean {
  return referenceTables.some((name) => qualified === name || qualified === `public.${quoteIdent(name)}` || qualified === `public.${name}` || qualified === quoteIdent(name));
}

/**
 * Compares a database with the template's fingerprint and counts its rows.
 * Rows are counted in the template's tables, not in whatever tables the
 * database still has: a database whose tables were dropped is reported as
 * missing them, never as "empty". Each count is compared with the template's
 * (`templateRows`, from {@link countTableRows}; zero for a table it omits), so
 * seed data written once into the template is not a leak.
 *
 * @example
 * ```ts
 * const { schemaChanges, rows } = await inspectDatabase(url, info.templateSchema, ['SequelizeMeta'], info.templateRows);
 * ```
 */
export async function inspectDatabase(
  databaseUrl: string,
  template: SchemaFingerprint,
  referenceTables: readonly string[] = DEFAULT_REFERENCE_TABLES,
  templateRows: Readonly<Record<string, number>> = {},
  /** An open connection to that database to inspect it with, instead of a new one. */
  connection?: Queryable,
): Promise<DatabaseInspection> {
  const inspect = async (client: Queryable) => {
    const actual = await readFingerprint(client);
    const schemaChanges = diffSchemas(template, actual);
    const present = new Set(baseTables(actual));
    const counts = await readCounts(client, baseTables(template).filter((table) => present.has(table) && !isReferenceTable(table, referenceTables)));
    const leaked = Object.entries(counts).filter(([table, count]) => count !== (templateRows[table] ?? 0));
    return {
      schemaChanges,
      rows: Object.fromEntries(leaked.map(([table, count]) => [displayTable(table), count])),
      leakedTables: leaked.map(([table]) => table),
      leaks: leaked.map(([table, count]) => `${displayTable(table)} (${count}${templateRows[table] ? `, template ${templateRows[table]}` : ''})`),
    };
  };
  return connection ? inspect(connection) : withClient(databaseUrl, inspect);
}

/**
 * What the inspection needs of a connection: pg's `query`. A pg `Client`, or a
 * connection of the app's Sequelize pool (kept open between files, so the check
 * pays no new connection).
 *
 * @example
 * ```ts
 * const connection: Queryable = await sequelize.connectionManager.getConnection();
 * ```
 */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Row counts of `tables` (qualified and quoted, as FINGERPRINT_SQL names them), in one round trip. */
async function readCounts(client: Queryable, tables: readonly string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const counts = await client.query<{ name: string; count: string }>(
    tables.map((table) => `SELECT '${table.replaceAll("'", "''")}' AS name, count(*) AS count FROM ${table}`).join(' UNION ALL '),
  );
  return Object.fromEntries(counts.rows.map((row) => [row.name, Number(row.count)]));
}

/**
 * The rows the template holds after migrating and seeding, per table
 * (schema-qualified and quoted, reference tables aside, only tables that hold
 * rows): what the leak check compares each worker database with.
 *
 * @example
 * ```ts
 * const templateRows = await countTableRows(templateUrl, templateSchema); // { 'public.categories': 3 }
 * ```
 */
export function countTableRows(
  databaseUrl: string,
  template: SchemaFingerprint,
  referenceTables: readonly string[] = DEFAULT_REFERENCE_TABLES,
): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const counts = await readCounts(client, baseTables(template).filter((table) => !isReferenceTable(table, referenceTables)));
    return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
  });
}

/**
 * Whether emptying `tables` (TRUNCATE ... CASCADE, which also empties every
 * table that references them, transitively) would remove rows the template
 * holds; then only a fresh clone of the template repairs the database.
 */
async function truncateWouldHitSeedRows(client: pg.Client, tables: readonly string[], templateRows: Readonly<Record<string, number>>): Promise<boolean> {
  if (Object.keys(templateRows).length === 0) return false;
  const edges = await client.query<{ referencing: string; referenced: string }>(
    `SELECT quote_ident(cn.nspname) || '.' || quote_ident(c.relname) AS referencing,
            quote_ident(fn.nspname) || '.' || quote_ident(f.relname) AS referenced
     FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
     JOIN pg_class f ON f.oid = k.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
     WHERE k.contype = 'f'`,
  );
  const reached = new Set(tables);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { referencing, referenced } of edges.rows) {
      if (reached.has(referenced) && !reached.has(referencing)) {
        reached.add(referencing);
        grew = true;
      }
    }
  }
  return [...reached].some((table) => (templateRows[table] ?? 0) > 0);
}

/** `public."users"` reads as `users`, the way the leak message has always named tables. */
function displayTable(qualified: string): string {
  return qualified.replace(/^public\./, '').replace(/^"(.*)"$/, (_, inner: string) => inner.replaceAll('""', '"'));
}

/**
 * The message of a schema that differs from the template's, for one file
 * (`where` = "this file") or the whole run.
 */
export function schemaChangedMessage(where: string, changes: readonly string[]): string {
  return (
    `Schema differs from the template after ${where}:\n  ${changes.join('\n  ')}\n` +
    'Something ran DDL outside the test transaction: a raw pg client, sequelize.sync(), drop() or a migration in beforeAll or at module scope. ' +
    'Fix: run such DDL inside a test (it is rolled back with the test), or give that code a database of its own (createScratchDatabase).'
  );
}

/**
 * The per-file check of a worker database, for the `databaseUrl` fixture's
 * cleanup: its schema must be the template's (tables, columns, constraints,
 * indexes), and each table must hold as many rows as the template's (none,
 * unless the global setup's `seed` wrote some; reference tables aside). The template
 * comes from the kit's global setup (Vitest's `inject`); an adapter for
 * another runner calls {@link checkDatabaseAgainstTemplate} with it instead.
 *
 * When the schema differs, the database is dropped and cloned again from the
 * template before the error is thrown, so later files of the worker start on a
 * sound schema and only the guilty file fails. When only rows are left, the
 * tables are emptied instead (cheaper than a new clone), unless that would
 * remove seed rows of the template: then the database is cloned again too.
 *
 * @throws SharedSessionError "Schema differs from the template ..." or "Rows left behind after this file ...".
 *
 * @example
 * ```ts
 * onCleanup(() => checkWorkerDatabase(url, { referenceTables }));
 * ```
 */
export async function checkWorkerDatabase(databaseUrl: string, options: CheckOptions = {}): Promise<void> {
  return checkDatabaseAgainstTemplate(databaseUrl, await providedDatabase(), options);
}

/**
 * Options of the per-file check.
 *
 * @example
 * ```ts
 * const options: CheckOptions = { referenceTables: ['SequelizeMeta'] };
 * ```
 */
export interface CheckOptions {
  /** Tables the leak check ignores. Default `['SequelizeMeta']`. */
  referenceTables?: readonly string[];
  /** An open connection to the database to inspect it with; repairs still open their own. */
  connection?: Queryable;
}

/**
 * {@link checkWorkerDatabase} without a test runner: compares the database at
 * `databaseUrl` with the template that `database` describes, repairs it
 * (clone again, or empty the tables) and throws when it differs.
 *
 * @example
 * ```ts
 * await checkDatabaseAgainstTemplate(url, { serverUrl, template, prefix, templateSchema }, { referenceTables: ['SequelizeMeta'] });
 * ```
 */
export async function checkDatabaseAgainstTemplate(
  databaseUrl: string,
  database: SharedSessionDatabaseInfo,
  options: CheckOptions = {},
): Promise<void> {
  const referenceTables = options.referenceTables ?? DEFAULT_REFERENCE_TABLES;
  // A global setup of an older kit provides no fingerprint: read the template's then (slower, one more connection).
  const templateSchema = database.templateSchema ?? (await schemaFingerprint(withDatabase(database.serverUrl, database.template)));
  const templateRows = database.templateRows ?? {};
  const report = await inspectDatabase(databaseUrl, templateSchema, referenceTables, templateRows, options.connection);
  const cloneAgain = async () => {
    const name = databaseOf(databaseUrl);
    await dropDatabase(database.serverUrl, name);
    await createDatabaseFromTemplate(database.serverUrl, name, database.template);
  };
  if (report.schemaChanges.length > 0) {
    await cloneAgain();
    throw new SharedSessionError(
      `${schemaChangedMessage('this file', report.schemaChanges)}\nThe worker database was cloned again from the template, so the next file starts sound.`,
      TESTING_SECTIONS.schemaChanged,
    );
  }
  if (report.leakedTables.length > 0) {
    // Emptying the tables is cheaper than a new clone, unless it would remove the template's own (seed) rows.
    const seedTouched = await withClient(databaseUrl, async (client) => {
      if (await truncateWouldHitSeedRows(client, report.leakedTables, templateRows)) return true;
      await client.query(`TRUNCATE ${report.leakedTables.join(', ')} RESTART IDENTITY CASCADE`);
      return false;
    });
    if (seedTouched) await cloneAgain();
    throw new SharedSessionError(
      `Rows left behind after this file: ${report.leaks.join(', ')}. ` +
        `Something committed outside the test transaction (${seedTouched ? 'the database was cloned again from the template' : 'the tables were emptied'} so the next file starts clean).`,
      TESTING_SECTIONS.leak,
    );
  }
}

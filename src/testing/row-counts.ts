import pg from 'pg';
import { databaseOf, quoteIdent } from './admin.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';

/**
 * Tables that hold reference data rather than test data; the leak check skips them.
 *
 * @example
 * ```ts
 * const rows = await countRows(url, [...DEFAULT_REFERENCE_TABLES, 'countries']);
 * ```
 */
export const DEFAULT_REFERENCE_TABLES = ['SequelizeMeta'];

/**
 * Counts the rows of every table in a database (reference tables aside).
 * Returns only the tables that hold rows.
 *
 * A database without a single table is refused rather than reported empty:
 * zero tables hold zero rows, and `sync({ force: true })` or `drop()` outside a
 * test would otherwise pass for clean. `checkWorkerDatabase` goes further and
 * compares the whole schema with the template's.
 *
 * @example
 * ```ts
 * expect(await countRows(url)).toEqual({});
 * ```
 */
export async function countRows(databaseUrl: string, referenceTables: readonly string[] = DEFAULT_REFERENCE_TABLES): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    if (tables.rows.length === 0) {
      throw new SharedSessionError(
        `Schema differs from the template: database "${databaseOf(databaseUrl)}" has no tables at all, so counting its rows proves nothing. ` +
          'Something dropped them outside the test transaction (sequelize.sync({ force: true }), drop(), a raw pg client).',
        TESTING_SECTIONS.schemaChanged,
      );
    }
    const names = tables.rows.map((row) => row.name).filter((name) => !referenceTables.includes(name));
    if (names.length === 0) return {};
    const counts = await client.query<{ name: string; count: string }>(
      names.map((name) => `SELECT '${name.replaceAll("'", "''")}' AS name, count(*) AS count FROM ${quoteIdent(name)}`).join(' UNION ALL '),
    );
    return Object.fromEntries(counts.rows.filter((row) => Number(row.count) > 0).map((row) => [row.name, Number(row.count)]));
  } finally {
    await client.end();
  }
}

/** Empties the given tables (used after a leak is reported, so one leak fails one file, not every later one). */
export async function truncateTables(databaseUrl: string, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${tables.map(quoteIdent).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}

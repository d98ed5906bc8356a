// Schema damage is caught and contained. DDL committed outside the test
// transaction (a raw pg client, sync({ force: true }), drop() in beforeAll)
// is not a row, so a rows-only check calls the database clean, and every later
// file of the worker runs on the wrong schema. The per-file check compares the
// schema with the template's, names what differs, and clones the database again.
import { describe, expect, test } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../databases.ts';
import { TESTING_SECTIONS } from '../errors.ts';
import { checkWorkerDatabase } from '../schema-fingerprint.ts';
import { sqlOn } from './global-setup-harness.ts';

async function withScratch(label: string, fn: (scratch: ScratchDatabase) => Promise<void>): Promise<void> {
  const scratch = await createScratchDatabase(label);
  try {
    await fn(scratch);
  } finally {
    await scratch.drop();
  }
}

describe('the per-file check of a worker database', { timeout: 30_000 }, () => {
  test('when a file drops a unique constraint through a raw client, then the check fails naming it and the constraint is back afterwards', async () => {
    await withScratch('schema-constraint', async (scratch) => {
      await sqlOn(scratch.name, 'ALTER TABLE tournaments DROP CONSTRAINT tournaments_name_key');

      const failure = checkWorkerDatabase(scratch.url);

      await expect(failure).rejects.toThrow(/^Schema differs from the template after this file:\n {2}missing constraint public\.tournaments\.tournaments_name_key \(UNIQUE \(name\)\)\n/);
      await expect(failure).rejects.toThrow(`See the kit's FAQ.md, section "${TESTING_SECTIONS.schemaChanged}".`);
      const restored = await sqlOn(scratch.name, "SELECT 1 FROM pg_constraint WHERE conname = 'tournaments_name_key'");
      expect(restored.rowCount).toBe(1);
      await expect(checkWorkerDatabase(scratch.url)).resolves.toBeUndefined();
    });
  });

  test('when a file drops every table (sync({ force: true }) or drop() in beforeAll), then the check does not call the database empty', async () => {
    await withScratch('schema-no-tables', async (scratch) => {
      await sqlOn(scratch.name, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');

      const failure = checkWorkerDatabase(scratch.url);

      await expect(failure).rejects.toThrow(/^Schema differs from the template after this file:/);
      await expect(failure).rejects.toThrow(/missing table public\.users \(table\)/);
      const tables = await sqlOn(scratch.name, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0].n).toBeGreaterThan(0);
    });
  });

  test('when a file adds a column and an index, then both are named as extra', async () => {
    await withScratch('schema-extra', async (scratch) => {
      await sqlOn(scratch.name, 'ALTER TABLE users ADD COLUMN nickname text; CREATE INDEX users_name_idx ON users (name)');

      await expect(checkWorkerDatabase(scratch.url)).rejects.toThrow(
        /extra column public\.users\.nickname \(text\)\n {2}extra index public\.users\.users_name_idx \(CREATE INDEX users_name_idx ON public\.users USING btree \(name\)\)/,
      );
    });
  });

  test('when a file leaves rows but no schema change, then "Rows left behind" names the table and the tables are emptied', async () => {
    await withScratch('schema-rows', async (scratch) => {
      await sqlOn(scratch.name, "INSERT INTO tournaments (name) VALUES ('leaked')");

      await expect(checkWorkerDatabase(scratch.url)).rejects.toThrow(/^Rows left behind after this file: tournaments \(1\)\./);
      expect((await sqlOn(scratch.name, 'SELECT count(*)::int AS n FROM tournaments')).rows[0].n).toBe(0);
    });
  });

  test('when the database is as the template left it, then the check passes', async () => {
    await withScratch('schema-sound', async (scratch) => {
      await expect(checkWorkerDatabase(scratch.url)).resolves.toBeUndefined();
    });
  });
});

// The rows-only leak check must not be fooled by a database without tables:
// zero tables hold zero rows, so sync({ force: true }) or drop() outside a
// test would pass for a clean database.
import { describe, expect, test } from 'vitest';
import { createScratchDatabase } from '../databases.ts';
import { countRows } from '../row-counts.ts';
import { sqlOn } from './global-setup-harness.ts';

describe('countRows', { timeout: 30_000 }, () => {
  test('when every table was dropped, then it refuses instead of reporting the database empty', async () => {
    const scratch = await createScratchDatabase('rows-no-tables');
    try {
      await sqlOn(scratch.name, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');

      await expect(countRows(scratch.url)).rejects.toThrow(/^Schema differs from the template: database "\S+" has no tables at all, so counting its rows proves nothing\./);
    } finally {
      await scratch.drop();
    }
  });

  test('when tables hold rows, then it names them with their counts', async () => {
    const scratch = await createScratchDatabase('rows-leaked');
    try {
      await sqlOn(scratch.name, "INSERT INTO tournaments (name) VALUES ('a'), ('b')");

      expect(await countRows(scratch.url)).toEqual({ tournaments: 2 });
    } finally {
      await scratch.drop();
    }
  });
});

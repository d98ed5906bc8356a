// Queries that slip out of the test's transaction would commit for good and
// could not see the test's rows. The kit refuses them, and its message names
// the fix and the section of the kit's FAQ.md that explains it.
import { createSequelize } from '../db/sequelize.ts';
import { SharedSessionError, TESTING_SECTIONS } from '../testing/index.ts';
import { test, expect } from './fixtures.ts';

// #region guard-message
test('when a query passes transaction: null, then it is refused with a message that names the fix', async ({ app }) => {
  const escaped = app.models.Tournament.create({ name: 'Escapee' }, { transaction: null });

  await expect(escaped).rejects.toThrow(SharedSessionError);
  await expect(escaped).rejects.toThrow(/A query escaped the test transaction/);
  await expect(escaped).rejects.toThrow(/Fix: do not pass `transaction: null`/);
  await expect(escaped).rejects.toThrow(`See the kit's FAQ.md, section "A query escaped the test transaction".`);
});
// #endregion guard-message

test('when code queries through a second Sequelize instance, then CLS puts it in the test transaction, or the guard refuses it', async ({ databaseUrl, factories }) => {
  const tournament = await factories.tournament();
  const secondPool = createSequelize(databaseUrl);
  try {
    // CLS is per Sequelize class, so a second instance joins the test transaction...
    const [rows] = await secondPool.query(`SELECT id FROM tournaments WHERE id = ${tournament.id}`);
    expect(rows).toEqual([{ id: tournament.id }]);
    // ...and the moment it opts out, the guard refuses the query.
    const error = await secondPool.query('SELECT 1', { transaction: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SharedSessionError);
    expect((error as SharedSessionError).section).toBe(TESTING_SECTIONS.escapedQuery);
  } finally {
    await secondPool.close();
  }
});

test('when the guard refused a query, then nothing was written', async ({ app }) => {
  expect(await app.models.Tournament.count({ where: { name: 'Escapee' } })).toBe(0);
});

test("when the kit raises any of its errors, then the message ends with the section of the kit's FAQ.md to read", () => {
  // Every kit error ends with the section of the kit's FAQ.md that explains it.
  for (const section of Object.values(TESTING_SECTIONS)) {
    expect(new SharedSessionError('x', section).message).toBe(`x\nSee the kit's FAQ.md, section "${section}".`);
  }
});

// App code opens transactions of its own (the bracket generator does, with a
// managed `sequelize.transaction()`). Inside a test the kit turns each of them
// into a SAVEPOINT of the test's transaction, so their rows are visible to the
// test and are rolled back with it, instead of being committed on another connection.
import { test, expect } from './fixtures.ts';

let categoryWithBracket = 0;

test('when the app builds a bracket in its own transaction, then the battles are visible to the test', async ({ factories, clientFor, app }) => {
  const category = await factories.category();
  for (const name of ['Ana', 'Ben', 'Caro', 'Dev']) await factories.dancer({ categoryId: category.id, name });
  const staff = await clientFor('staff');

  const res = await staff.post(`/categories/${category.id}/bracket`);

  expect(res.status).toBe(201);
  const battles = await app.models.Battle.findAll({ where: { categoryId: category.id } });
  expect(battles.filter((b) => b.round === 1)).toHaveLength(2);
  categoryWithBracket = category.id;
});

test('when the previous test has ended, then the battles of its bracket are gone', async ({ app }) => {
  expect(categoryWithBracket).toBeGreaterThan(0);
  expect(await app.models.Battle.count({ where: { categoryId: categoryWithBracket } })).toBe(0);
});

test('when code opens an unmanaged transaction inside a test, then it is a savepoint of the test transaction', async ({ tx, factories, app }) => {
  const nested = await app.sequelize.transaction();
  expect((nested as unknown as { id: string }).id).toBe(tx.id);

  const tournament = await app.models.Tournament.create({ name: 'Inside Nested' }, { transaction: nested });
  await nested.commit();

  expect(await app.models.Tournament.findByPk(tournament.id)).not.toBeNull();
  expect(await factories.tournament()).toBeTruthy();
});

test('when a managed nested transaction throws, then only its own writes are undone', async ({ factories, app }) => {
  const kept = await factories.tournament({ name: 'Kept' });

  await expect(
    app.sequelize.transaction(async (transaction) => {
      await app.models.Tournament.create({ name: 'Undone' }, { transaction });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');

  const names = (await app.models.Tournament.findAll()).map((t) => t.name);
  expect(names).toEqual([kept.name]);
});

test('when a nested transaction commits, then its afterCommit hooks fire at once although nothing is committed', async ({ app }) => {
  let fired = false;
  await app.sequelize.transaction(async (nested) => {
    nested.afterCommit(() => {
      fired = true;
    });
    await app.models.Tournament.create({ name: 'Hooked' }, { transaction: nested });
  });
  expect(fired).toBe(true);
});

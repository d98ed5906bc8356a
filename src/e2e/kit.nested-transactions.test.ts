// App code opens transactions of its own (the bracket generator does, with a
// managed `sequelize.transaction()`). Inside a test the kit turns each of them
// into a SAVEPOINT of the test's transaction, so their rows are visible to the
// test and are rolled back with it, instead of being committed on another connection.
import { test, expect } from './fixtures.ts';

test('when the app builds a bracket in its own transaction, then the battles are visible to the test', async ({ factories, clientFor, app }) => {
  const category = await factories.category();
  for (const name of ['Ana', 'Ben', 'Caro', 'Dev']) await factories.dancer({ categoryId: category.id, name });
  const staff = await clientFor('staff');

  const res = await staff.post(`/categories/${category.id}/bracket`);

  expect(res.status).toBe(201);
  const battles = await app.models.Battle.findAll({ where: { categoryId: category.id } });
  expect(battles.filter((b) => b.round === 1)).toHaveLength(2);
});

{
  // Written by the first run of the test below and read by its second run; no other test sees it.
  let categoryOfTheFirstRun = 0;

  // Vitest runs this test twice (`repeats: 1`), and the kit wraps each run in a
  // transaction of its own, rolled back at its end: the first run is "a test",
  // the second is "the next test", whatever order the file's tests run in.
  test('when a test has ended, then the next test finds none of the battles of its bracket', { repeats: 1 }, async ({ factories, clientFor, app, task }) => {
    if (task.result?.repeatCount === 0) {
      const category = await factories.category();
      for (const name of ['Ana', 'Ben', 'Caro', 'Dev']) await factories.dancer({ categoryId: category.id, name });
      const staff = await clientFor('staff');
      expect((await staff.post(`/categories/${category.id}/bracket`)).status).toBe(201);
      expect(await app.models.Battle.count({ where: { categoryId: category.id } })).toBeGreaterThan(0);
      categoryOfTheFirstRun = category.id;
      return;
    }

    expect(categoryOfTheFirstRun).toBeGreaterThan(0);
    expect(await app.models.Battle.count({ where: { categoryId: categoryOfTheFirstRun } })).toBe(0);
    expect(await app.models.Battle.count()).toBe(0);
  });
}

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

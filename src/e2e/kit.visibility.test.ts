// The promise of the pattern, stated as three tests that each stand alone:
// what a test's fixtures create, its requests see; what its requests create,
// the test sees; and none of it is there for the next test.
import { test, expect } from './fixtures.ts';

// #region fixture-visible
test('when a factory creates a tournament, then GET /tournaments/:id over HTTP returns it', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament({ name: 'Visible Cup' });
  const judge = await clientFor('judge');

  const res = await judge.get(`/tournaments/${tournament.id}`);

  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ id: tournament.id, name: 'Visible Cup' });
});
// #endregion fixture-visible

test('when a request creates a tournament, then the test body reads it in the same transaction', async ({ clientFor, tx }) => {
  const staff = await clientFor('staff');

  const res = await staff.post('/tournaments', { name: 'Created Over HTTP' });

  expect(res.status).toBe(201);
  const [rows] = await tx.sequelize.query('SELECT name FROM tournaments WHERE id = :id', {
    replacements: { id: res.data.id },
    transaction: tx,
  });
  expect(rows).toEqual([{ name: 'Created Over HTTP' }]);
});

{
  // Written by the first run of the test below and read by its second run; no other test sees it.
  let createdByTheFirstRun: number[] = [];

  // Vitest runs this test twice (`repeats: 1`), and the kit wraps each run in a
  // transaction of its own, rolled back at its end: the first run is "a test",
  // the second is "the next test", whatever order the file's tests run in.
  test('when a test has ended, then the next test finds none of its rows: its tournaments are 404 and the table is empty', { repeats: 1 }, async ({ factories, clientFor, tx, task }) => {
    const admin = await clientFor('admin');

    if (task.result?.repeatCount === 0) {
      const fromFixture = await factories.tournament({ name: 'Fixture Of The First Run' });
      const fromRequest = await admin.post('/tournaments', { name: 'Request Of The First Run' });
      expect(fromRequest.status).toBe(201);
      expect((await admin.get(`/tournaments/${fromFixture.id}`)).status).toBe(200);
      createdByTheFirstRun = [fromFixture.id, fromRequest.data.id];
      return;
    }

    expect(createdByTheFirstRun).toHaveLength(2);
    for (const id of createdByTheFirstRun) expect((await admin.get(`/tournaments/${id}`)).status).toBe(404);
    const [rows] = await tx.sequelize.query('SELECT count(*)::int AS n FROM tournaments', { transaction: tx });
    expect(rows).toEqual([{ n: 0 }]);
  });
}

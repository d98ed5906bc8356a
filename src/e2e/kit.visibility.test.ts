// The promise of the pattern, stated as three tests that run in order: what a
// test's fixtures create, its requests see; what its requests create, the test
// sees; and none of it is there for the next test.
import { test, expect } from './fixtures.ts';

let tournamentOfFirstTest = 0;

// #region fixture-visible
test('when a factory creates a tournament, then GET /tournaments/:id over HTTP returns it', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament({ name: 'Visible Cup' });
  const judge = await clientFor('judge');

  const res = await judge.get(`/tournaments/${tournament.id}`);

  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ id: tournament.id, name: 'Visible Cup' });
  tournamentOfFirstTest = tournament.id;
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

test('when the previous tests have ended, then their rows are gone', async ({ clientFor, tx }) => {
  expect(tournamentOfFirstTest).toBeGreaterThan(0);
  const admin = await clientFor('admin');

  expect((await admin.get(`/tournaments/${tournamentOfFirstTest}`)).status).toBe(404);
  const [rows] = await tx.sequelize.query('SELECT count(*)::int AS n FROM tournaments', { transaction: tx });
  expect(rows).toEqual([{ n: 0 }]);
});

// Tournaments CRUD: create, list, read, update and delete, each checked both in
// the answer and in the database (the test sees the rows the request wrote).
import { test, expect } from '../../e2e/fixtures.ts';
import { withTimeout } from './support.ts';

test('when staff creates a tournament, then 201 with the trimmed name and it is stored', async ({ clientFor, app }) => {
  const staff = withTimeout(await clientFor('staff'));

  const res = await staff.post('/tournaments', { name: '  Summer Jam  ', startsOn: '2030-07-14' });

  expect(res.status).toBe(201);
  expect(res.data).toMatchObject({ id: expect.any(Number), name: 'Summer Jam', startsOn: '2030-07-14', eventMode: false, currentBattleId: null });
  const stored = await app.models.Tournament.findByPk(res.data.id);
  expect(stored?.name).toBe('Summer Jam');
});

test('when a name has exactly 120 characters, then it is accepted', async ({ clientFor }) => {
  const res = await withTimeout(await clientFor('admin')).post('/tournaments', { name: 'x'.repeat(120) });

  expect(res.status).toBe(201);
  expect(res.data.startsOn).toBeNull();
});

test('when a judge lists tournaments, then the items include the fixture rows', async ({ factories, clientFor }) => {
  const [a, b] = [await factories.tournament(), await factories.tournament()];

  const res = await withTimeout(await clientFor('judge')).get('/tournaments');

  expect(res.status).toBe(200);
  expect(res.data.items.map((t: { id: number }) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
});

test('when an MC reads one tournament, then 200 with it', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament({ startsOn: '2031-01-02' });

  const res = await withTimeout(await clientFor('mc')).get(`/tournaments/${tournament.id}`);

  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ id: tournament.id, name: tournament.name, startsOn: '2031-01-02' });
});

test('when staff renames a tournament and clears its date, then 200 with the new values', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament({ startsOn: '2031-01-02' });

  const res = await withTimeout(await clientFor('staff')).patch(`/tournaments/${tournament.id}`, { name: 'Renamed', startsOn: null });

  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ id: tournament.id, name: 'Renamed', startsOn: null });
  await tournament.reload();
  expect(tournament.name).toBe('Renamed');
});

test('when an admin deletes a tournament, then 204, it is gone and so are its categories', async ({ factories, clientFor, app }) => {
  const category = await factories.category();
  const admin = withTimeout(await clientFor('admin'));

  const res = await admin.delete(`/tournaments/${category.tournamentId}`);

  expect(res.status).toBe(204);
  expect((await admin.get(`/tournaments/${category.tournamentId}`)).status).toBe(404);
  expect(await app.models.Category.findByPk(category.id)).toBeNull();
});

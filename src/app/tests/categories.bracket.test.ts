// Setting up a tournament: categories, dancers, and the bracket built from them
// in one transaction (round 1 paired in creation order, later rounds empty).
import { test, expect, type Factories } from '../../e2e/fixtures.ts';
import { errorBody, withTimeout } from './support.ts';

async function categoryWithDancers(factories: Factories, count: number) {
  const category = await factories.category();
  const dancers = [];
  for (let i = 0; i < count; i++) dancers.push(await factories.dancer({ categoryId: category.id, name: `Dancer ${i + 1}` }));
  return { category, dancers };
}

test('when staff adds a category to a tournament, then 201 with it', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament();

  const res = await withTimeout(await clientFor('staff')).post(`/tournaments/${tournament.id}/categories`, { name: ' Top Rock ' });

  expect(res.status).toBe(201);
  expect(res.data).toMatchObject({ id: expect.any(Number), tournamentId: tournament.id, name: 'Top Rock' });
});

test('when two tournaments use the same category name, then both are accepted', async ({ factories, clientFor }) => {
  const staff = withTimeout(await clientFor('staff'));
  const [a, b] = [await factories.tournament(), await factories.tournament()];

  const statuses = [(await staff.post(`/tournaments/${a.id}/categories`, { name: 'Kids' })).status, (await staff.post(`/tournaments/${b.id}/categories`, { name: 'Kids' })).status];

  expect(statuses).toEqual([201, 201]);
});

test('when an admin adds a dancer to a category, then 201 with it', async ({ factories, clientFor }) => {
  const category = await factories.category();

  const res = await withTimeout(await clientFor('admin')).post(`/categories/${category.id}/dancers`, { name: 'B-Girl Nova' });

  expect(res.status).toBe(201);
  expect(res.data).toMatchObject({ id: expect.any(Number), categoryId: category.id, name: 'B-Girl Nova' });
});

test('when staff builds a bracket of four dancers, then round 1 pairs them in order and the final waits empty', async ({ factories, clientFor, app }) => {
  const { category, dancers } = await categoryWithDancers(factories, 4);
  const [d1, d2, d3, d4] = dancers.map((d) => d.id);

  const res = await withTimeout(await clientFor('staff')).post(`/categories/${category.id}/bracket`);

  expect(res.status).toBe(201);
  const shape = (b: { round: number; position: number; dancerAId: number | null; dancerBId: number | null; status: string; winnerId: number | null }) =>
    [b.round, b.position, b.dancerAId, b.dancerBId, b.status, b.winnerId];
  expect(res.data.items.map(shape)).toEqual([
    [1, 0, d1, d2, 'pending', null],
    [1, 1, d3, d4, 'pending', null],
    [2, 0, null, null, 'pending', null],
  ]);
  const stored = await app.models.Battle.findAll({ where: { categoryId: category.id }, order: [['round', 'ASC'], ['position', 'ASC']] });
  expect(stored.map((b) => b.id)).toEqual(res.data.items.map((b: { id: number }) => b.id));
});

test('when the bracket has eight dancers, then it has rounds of 4, 2 and 1 battles', async ({ factories, clientFor }) => {
  const { category } = await categoryWithDancers(factories, 8);

  const res = await withTimeout(await clientFor('admin')).post(`/categories/${category.id}/bracket`);

  expect(res.status).toBe(201);
  const perRound = res.data.items.reduce((acc: Record<number, number>, b: { round: number }) => ({ ...acc, [b.round]: (acc[b.round] ?? 0) + 1 }), {});
  expect(perRound).toEqual({ 1: 4, 2: 2, 3: 1 });
});

test('when a category has six dancers, then the bracket is 409 and no battle is created', async ({ factories, clientFor, app }) => {
  const { category } = await categoryWithDancers(factories, 6);

  const res = await withTimeout(await clientFor('staff')).post(`/categories/${category.id}/bracket`);

  expect(res.status).toBe(409);
  expect(res.data).toEqual(errorBody('conflict'));
  expect(res.data.error.details).toEqual({ dancers: 6 });
  expect(await app.models.Battle.count({ where: { categoryId: category.id } })).toBe(0);
});

test('when a dancer is added after the bracket is built, then 409', async ({ factories, clientFor }) => {
  const { category } = await categoryWithDancers(factories, 2);
  const staff = withTimeout(await clientFor('staff'));
  expect((await staff.post(`/categories/${category.id}/bracket`)).status).toBe(201);

  const res = await staff.post(`/categories/${category.id}/dancers`, { name: 'Latecomer' });

  expect(res.status).toBe(409);
  expect(res.data).toEqual(errorBody('conflict'));
});

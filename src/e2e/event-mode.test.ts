// The live show, end to end and the adopted way: every test builds its own
// tournament with factories and drives it over HTTP as the people on the floor
// would (staff switches event mode on, the MC starts a battle, judges vote, the
// MC completes it). All of it runs in the test's transaction and is gone after.
import type { AxiosInstance } from 'axios';
import { test, expect, type ClientFor, type Factories } from './fixtures.ts';

/** A tournament with one category of four dancers, a bracket, and event mode on. */
async function liveTournament({ factories, clientFor }: { factories: Factories; clientFor: ClientFor }) {
  const tournament = await factories.tournament();
  const category = await factories.category({ tournamentId: tournament.id });
  const dancers = [];
  for (const name of ['Ana', 'Ben', 'Caro', 'Dev']) dancers.push(await factories.dancer({ categoryId: category.id, name }));
  const staff = await clientFor('staff');
  expect((await staff.post(`/categories/${category.id}/bracket`)).status).toBe(201);
  expect((await staff.post(`/tournaments/${tournament.id}/event-mode`, { enabled: true })).status).toBe(200);
  const current = await staff.get(`/tournaments/${tournament.id}/event/current`);
  expect(current.status).toBe(200);
  return { tournament, category, dancers, staff, battle: current.data as { id: number; dancerAId: number; dancerBId: number } };
}

async function judges(clientFor: ClientFor, count: number): Promise<AxiosInstance[]> {
  return Promise.all(Array.from({ length: count }, () => clientFor('judge')));
}

// #region event-mode-enable
test('when staff enables event mode, then the first battle of the bracket is current', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament();
  const category = await factories.category({ tournamentId: tournament.id });
  for (const name of ['Ana', 'Ben']) await factories.dancer({ categoryId: category.id, name });
  const staff = await clientFor('staff');
  await staff.post(`/categories/${category.id}/bracket`);

  const res = await staff.post(`/tournaments/${tournament.id}/event-mode`, { enabled: true });

  expect(res.status).toBe(200);
  expect(res.data.eventMode).toBe(true);
  const current = await (await clientFor('judge')).get(`/tournaments/${tournament.id}/event/current`);
  expect(current.status).toBe(200);
  expect(current.data).toMatchObject({ round: 1, position: 0, status: 'pending', voteCount: 0 });
});
// #endregion event-mode-enable

test('when event mode is off, then the current battle is 404', async ({ factories, clientFor }) => {
  const tournament = await factories.tournament();
  const res = await (await clientFor('mc')).get(`/tournaments/${tournament.id}/event/current`);
  expect(res.status).toBe(404);
  expect(res.data.error.code).toBe('not_found');
});

test('when the MC starts the current battle, then it is live for everyone', async ({ factories, clientFor }) => {
  const { tournament, battle } = await liveTournament({ factories, clientFor });
  const mc = await clientFor('mc');

  const started = await mc.post(`/battles/${battle.id}/start`);

  expect(started.status).toBe(200);
  expect(started.data.status).toBe('live');
  const seenByJudge = await (await clientFor('judge')).get(`/tournaments/${tournament.id}/event/current`);
  expect(seenByJudge.data).toMatchObject({ id: battle.id, status: 'live' });
});

test('when each judge votes, then every vote is counted', async ({ factories, clientFor }) => {
  const { tournament, battle } = await liveTournament({ factories, clientFor });
  await (await clientFor('mc')).post(`/battles/${battle.id}/start`);

  const panel = await judges(clientFor, 3);
  const votes = await Promise.all(panel.map((judge, i) => judge.post(`/battles/${battle.id}/votes`, { dancerId: i < 2 ? battle.dancerAId : battle.dancerBId })));

  expect(votes.map((v) => v.status)).toEqual([201, 201, 201]);
  const current = await panel[0]!.get(`/tournaments/${tournament.id}/event/current`);
  expect(current.data.voteCount).toBe(3);
});

test('when a judge votes twice, then 409 and the first vote stands', async ({ factories, clientFor }) => {
  const { tournament, battle } = await liveTournament({ factories, clientFor });
  await (await clientFor('mc')).post(`/battles/${battle.id}/start`);
  const [judge] = await judges(clientFor, 1);

  expect((await judge!.post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerAId })).status).toBe(201);
  const second = await judge!.post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerBId });

  expect(second.status).toBe(409);
  expect(second.data.error.code).toBe('conflict');
  expect((await judge!.get(`/tournaments/${tournament.id}/event/current`)).data.voteCount).toBe(1);
});

test('when a judge votes before the battle starts, then 409', async ({ factories, clientFor }) => {
  const { battle } = await liveTournament({ factories, clientFor });
  const [judge] = await judges(clientFor, 1);
  const res = await judge!.post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerAId });
  expect(res.status).toBe(409);
});

test('when the MC completes the battle, then the majority wins and advances to the next round', async ({ factories, clientFor, app }) => {
  const { battle } = await liveTournament({ factories, clientFor });
  const mc = await clientFor('mc');
  await mc.post(`/battles/${battle.id}/start`);
  const panel = await judges(clientFor, 3);
  for (const [i, judge] of panel.entries()) {
    expect((await judge.post(`/battles/${battle.id}/votes`, { dancerId: i === 0 ? battle.dancerAId : battle.dancerBId })).status).toBe(201);
  }

  const completed = await mc.post(`/battles/${battle.id}/complete`);

  expect(completed.status).toBe(200);
  expect(completed.data).toMatchObject({ status: 'completed', winnerId: battle.dancerBId });
  const final = await app.models.Battle.findOne({ where: { categoryId: completed.data.categoryId, round: 2, position: 0 } });
  expect(final?.dancerAId).toBe(battle.dancerBId);
});

test('when a battle is completed, then the next battle becomes current', async ({ factories, clientFor }) => {
  const { tournament, battle } = await liveTournament({ factories, clientFor });
  const mc = await clientFor('mc');
  await mc.post(`/battles/${battle.id}/start`);
  await (await clientFor('judge')).post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerAId });
  await mc.post(`/battles/${battle.id}/complete`);

  const current = await mc.get(`/tournaments/${tournament.id}/event/current`);

  expect(current.status).toBe(200);
  expect(current.data).toMatchObject({ round: 1, position: 1, status: 'pending' });
  expect(current.data.id).not.toBe(battle.id);
});

test('when a battle without votes is completed, then 409', async ({ factories, clientFor }) => {
  const { battle } = await liveTournament({ factories, clientFor });
  const mc = await clientFor('mc');
  await mc.post(`/battles/${battle.id}/start`);
  const res = await mc.post(`/battles/${battle.id}/complete`);
  expect(res.status).toBe(409);
});

test.for([
  ['judge', 'enables event mode', 'eventMode'],
  ['mc', 'enables event mode', 'eventMode'],
  ['judge', 'starts a battle', 'start'],
  ['staff', 'starts a battle', 'start'],
  ['mc', 'votes', 'vote'],
  ['staff', 'votes', 'vote'],
  ['judge', 'completes a battle', 'complete'],
] as const)('when a %s %s, then 403', async ([role, , action], { factories, clientFor }) => {
  const { tournament, battle } = await liveTournament({ factories, clientFor });
  if (action === 'vote' || action === 'complete') await (await clientFor('mc')).post(`/battles/${battle.id}/start`);
  const client = await clientFor(role);

  const res =
    action === 'eventMode'
      ? await client.post(`/tournaments/${tournament.id}/event-mode`, { enabled: true })
      : action === 'start'
        ? await client.post(`/battles/${battle.id}/start`)
        : action === 'vote'
          ? await client.post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerAId })
          : await client.post(`/battles/${battle.id}/complete`);

  expect(res.status).toBe(403);
  expect(res.data.error.code).toBe('forbidden');
});

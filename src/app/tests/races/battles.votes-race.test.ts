// Votes that arrive while the MC completes a battle, on the production wiring
// (committed data, requests truly in parallel). A vote the API accepts (201)
// must be in the tally that picks the winner; a vote that comes too late must
// be refused (409). Before the fix, a vote could pass its "is the battle live?"
// check, wait for the completion's row lock, and then be stored after the tally:
// 201, ignored, and the stored winner contradicted the stored votes.
//
// Each round is on a knife edge: dancer A already has VOTERS - 1 votes, and
// VOTERS judges vote for B while the battle is completed. If every B vote is
// counted B wins, if any is missing A wins on the tie rule; so one accepted but
// uncounted vote makes the stored winner disagree with the stored votes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rounds, startCommittedApp, type CommittedApp } from './committed.ts';

const VOTERS = 4;

let app: CommittedApp;
let mcToken: string;
let judges: { id: number; token: string }[];

beforeAll(async () => {
  app = await startCommittedApp('votes-race');
  mcToken = (await app.user('mc')).token;
  judges = [];
  // VOTERS - 1 judges who voted for A before the round, VOTERS who vote for B during it.
  for (let i = 0; i < 2 * VOTERS - 1; i++) {
    const { user, token } = await app.user('judge');
    judges.push({ id: user.id, token });
  }
});

afterAll(async () => {
  await app?.close();
});

/** A committed live battle between two fresh dancers, A ahead by VOTERS - 1 votes. */
async function liveBattle(round: number) {
  const { Tournament, Category, Dancer, Battle, Vote } = app.models;
  const tournament = await Tournament.create({ name: `Votes race ${round}` });
  const category = await Category.create({ tournamentId: tournament.id, name: 'Top rock' });
  const a = await Dancer.create({ categoryId: category.id, name: 'A' });
  const b = await Dancer.create({ categoryId: category.id, name: 'B' });
  const battle = await Battle.create({ categoryId: category.id, round: 1, position: 0, dancerAId: a.id, dancerBId: b.id, status: 'live' });
  for (const judge of judges.slice(0, VOTERS - 1)) await Vote.create({ battleId: battle.id, judgeId: judge.id, dancerId: a.id });
  return { battle, a, b };
}

describe('votes racing the completion of a battle (committed, parallel)', () => {
  test('when judges vote while the MC completes the battle, then every accepted vote is in the tally and the stored winner agrees with the stored votes', async () => {
    const ran = await rounds({ maxRounds: 40, budgetMs: 8_000 }, async (round) => {
      const { battle, a, b } = await liveBattle(round);
      // The votes start 0 to 7 ms after the completion, sweeping its transaction.
      const delayMs = round % 8;
      const [completed, ...votes] = await app.fire([
        { method: 'POST', path: `/battles/${battle.id}/complete`, token: mcToken },
        ...judges.slice(VOTERS - 1).map((judge) => ({
          method: 'POST' as const,
          path: `/battles/${battle.id}/votes`,
          token: judge.token,
          body: { dancerId: b.id },
          delayMs,
        })),
      ]);

      expect(completed!.status, JSON.stringify(completed!.body)).toBe(200);
      for (const vote of votes) expect([201, 409], JSON.stringify(vote.body)).toContain(vote.status);

      const stored = await app.models.Vote.findAll({ where: { battleId: battle.id } });
      const accepted = votes.filter((vote) => vote.status === 201).length;
      // Every 201 is a stored vote, and no 409 left one behind.
      expect(stored.length, `round ${round}: stored votes vs. votes answered 201`).toBe(VOTERS - 1 + accepted);
      const forB = stored.filter((vote) => vote.dancerId === b.id).length;
      const forA = stored.length - forB;
      const expectedWinner = forB > forA ? b.id : a.id;
      await battle.reload();
      expect(
        { round, delayMs, winnerId: battle.winnerId, status: battle.status },
        `round ${round} (votes sent ${delayMs} ms after the completion): stored votes A ${forA}, B ${forB}`,
      ).toEqual({ round, delayMs, winnerId: expectedWinner, status: 'completed' });
    });
    expect(ran).toBeGreaterThan(0);
  });
});

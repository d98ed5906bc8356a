// Dancers added while the bracket is being built, on the production wiring
// (committed data, requests truly in parallel). A dancer the API accepts (201)
// must get a place in round 1 of the bracket, or the bracket must be refused;
// a dancer that comes after the bracket must be refused (409). Before the fix,
// a dancer could pass its "no bracket yet?" check, wait for the bracket's lock
// on the category, and then be stored after the bracket had read the dancers:
// 201, and a dancer who never battles.
//
// Each round starts from four committed dancers and adds four more while the
// bracket is built: whichever way each request goes, 4 or 8 dancers make a
// bracket, 5 to 7 are a 409; the invariant holds in every case.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rounds, startCommittedApp, type CommittedApp } from './committed.ts';

const START = 4;
const LATE = 4;

let app: CommittedApp;
let staffToken: string;

beforeAll(async () => {
  app = await startCommittedApp('bracket-race');
  staffToken = (await app.user('staff')).token;
});

afterAll(async () => {
  await app?.close();
});

describe('dancers racing the bracket of their category (committed, parallel)', () => {
  test('when dancers are added while the bracket is built, then every accepted dancer is in round 1 or there is no bracket', async () => {
    const ran = await rounds({ maxRounds: 40, budgetMs: 8_000 }, async (round) => {
      const { Tournament, Category, Dancer, Battle } = app.models;
      const tournament = await Tournament.create({ name: `Bracket race ${round}` });
      const category = await Category.create({ tournamentId: tournament.id, name: 'Footwork' });
      for (let i = 0; i < START; i++) await Dancer.create({ categoryId: category.id, name: `Early ${i}` });

      // The dancers start 0 to 7 ms after the bracket request, sweeping its transaction.
      const delayMs = round % 8;
      const [bracket, ...added] = await app.fire([
        { method: 'POST', path: `/categories/${category.id}/bracket`, token: staffToken },
        ...Array.from({ length: LATE }, (_, i) => ({
          method: 'POST' as const,
          path: `/categories/${category.id}/dancers`,
          token: staffToken,
          body: { name: `Late ${i}` },
          delayMs,
        })),
      ]);

      expect([201, 409], JSON.stringify(bracket!.body)).toContain(bracket!.status);
      for (const dancer of added) expect([201, 409], JSON.stringify(dancer.body)).toContain(dancer.status);

      const dancers = (await Dancer.findAll({ where: { categoryId: category.id } })).map((d) => d.id).sort((x, y) => x - y);
      const acceptedIds = added.filter((d) => d.status === 201).map((d) => (d.body as { id: number }).id);
      expect(dancers, `round ${round}: every 201 is a stored dancer`).toEqual(expect.arrayContaining(acceptedIds));
      expect(dancers).toHaveLength(START + acceptedIds.length);

      const firstRound = await Battle.findAll({ where: { categoryId: category.id, round: 1 } });
      if (bracket!.status === 201) {
        const placed = firstRound.flatMap((battle) => [battle.dancerAId, battle.dancerBId]).sort((x, y) => x! - y!);
        expect(placed, `round ${round} (dancers sent ${delayMs} ms after the bracket): the dancers of the category vs. the dancers in round 1`).toEqual(dancers);
      } else {
        expect(firstRound, `round ${round}: a refused bracket leaves no battles`).toEqual([]);
      }
    });
    expect(ran).toBeGreaterThan(0);
  });
});

import type { Sequelize } from 'sequelize';
import { conflict, notFound } from './errors.ts';
import type { BattleInstance, Models } from './models/index.ts';
import { firstOpenBattle } from './bracket.ts';

/**
 * Completes a live battle in ONE transaction, every query passing it explicitly:
 * 1. tally the votes (at least one is required, else 409); a tie goes to
 *    dancer A, the dancer listed first in the bracket;
 * 2. record the winner and mark the battle completed;
 * 3. place the winner in the next round: position floor(p / 2), slot A when p
 *    is even and B when odd (no next round after the final);
 * 4. if the tournament is in event mode, move its current battle to the first
 *    battle not yet completed (null after the final).
 */
export async function completeBattle(sequelize: Sequelize, models: Models, battleId: number): Promise<BattleInstance> {
  const { Battle, Vote, Category, Tournament } = models;
  return sequelize.transaction(async (transaction) => {
    const battle = await Battle.findByPk(battleId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!battle) throw notFound('Battle');
    if (battle.status !== 'live') throw conflict(`Only a live battle can be completed; this one is ${battle.status}`);

    const votes = await Vote.findAll({ where: { battleId }, transaction });
    if (votes.length === 0) throw conflict('A battle needs at least one vote to be completed');
    const forA = votes.filter((vote) => vote.dancerId === battle.dancerAId).length;
    const forB = votes.length - forA;
    const winnerId = forB > forA ? battle.dancerBId : battle.dancerAId;
    await battle.update({ status: 'completed', winnerId }, { transaction });

    const next = await Battle.findOne({
      where: { categoryId: battle.categoryId, round: battle.round + 1, position: Math.floor(battle.position / 2) },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (next) await next.update(battle.position % 2 === 0 ? { dancerAId: winnerId } : { dancerBId: winnerId }, { transaction });

    const category = await Category.findByPk(battle.categoryId, { transaction });
    const tournament = category && (await Tournament.findByPk(category.tournamentId, { transaction, lock: transaction.LOCK.UPDATE }));
    if (tournament?.eventMode) {
      const current = await firstOpenBattle(models, tournament.id, transaction);
      await tournament.update({ currentBattleId: current?.id ?? null }, { transaction });
    }
    return battle;
  });
}

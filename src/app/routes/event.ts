import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { RequireUser } from '../auth/middleware.ts';
import { notFound } from '../errors.ts';
import { eventModeBody } from '../schemas.ts';
import { parseBody, parseId } from '../validation.ts';
import { firstOpenBattle } from '../bracket.ts';

/** Event mode: the live show of one tournament, and the battle currently on stage. */
export function eventRouter(sequelize: Sequelize, models: Models, requireUser: RequireUser): Router {
  const router = Router();
  const { Tournament, Battle, Dancer, Vote } = models;

  // Switching on points current_battle_id at the first battle not yet completed;
  // switching off clears it. One transaction so the flag and the pointer agree.
  router.post('/tournaments/:id/event-mode', requireUser('admin', 'staff'), async (req, res) => {
    const id = parseId(req);
    const { enabled } = parseBody(eventModeBody, req);
    const tournament = await sequelize.transaction(async (transaction) => {
      const found = await Tournament.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!found) throw notFound('Tournament');
      const current = enabled ? await firstOpenBattle(models, id, transaction) : null;
      return found.update({ eventMode: enabled, currentBattleId: current?.id ?? null }, { transaction });
    });
    res.json(tournament);
  });

  // The battle on stage with both dancers and how many judges have voted
  // (the count, not the tally: the result stays secret until completion).
  router.get('/tournaments/:id/event/current', requireUser(), async (req, res) => {
    const tournament = await Tournament.findByPk(parseId(req));
    if (!tournament) throw notFound('Tournament');
    if (!tournament.eventMode) throw notFound('Event mode is off for this tournament; current battle');
    const battle =
      tournament.currentBattleId === null
        ? null
        : await Battle.findByPk(tournament.currentBattleId, {
            include: [
              { model: Dancer, as: 'dancerA', attributes: ['id', 'name'] },
              { model: Dancer, as: 'dancerB', attributes: ['id', 'name'] },
            ],
          });
    if (!battle) throw notFound('Current battle');
    const voteCount = await Vote.count({ where: { battleId: battle.id } });
    res.json({ ...battle.toJSON(), tournamentId: tournament.id, voteCount });
  });

  return router;
}

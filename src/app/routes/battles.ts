import { Router } from 'express';
import { UniqueConstraintError, type Sequelize } from 'sequelize';
import type { Models } from '../models/index.ts';
import { currentUser, type RequireUser } from '../auth/middleware.ts';
import { HttpError, conflict, notFound } from '../errors.ts';
import { voteBody } from '../schemas.ts';
import { parseBody, parseId } from '../validation.ts';
import { completeBattle } from '../complete-battle.ts';

/** Running a battle: the MC starts it, judges vote, the MC (or staff) completes it. */
export function battlesRouter(sequelize: Sequelize, models: Models, requireUser: RequireUser): Router {
  const router = Router();
  const { Battle, Vote } = models;

  router.post('/battles/:id/start', requireUser('mc'), async (req, res) => {
    const battle = await Battle.findByPk(parseId(req));
    if (!battle) throw notFound('Battle');
    if (battle.status !== 'pending') throw conflict(`Only a pending battle can start; this one is ${battle.status}`);
    if (battle.dancerAId === null || battle.dancerBId === null) throw conflict('Both dancers must be known before the battle starts');
    await battle.update({ status: 'live' });
    res.json(battle);
  });

  router.post('/battles/:id/votes', requireUser('judge'), async (req, res) => {
    const id = parseId(req);
    const { dancerId } = parseBody(voteBody, req);
    const battle = await Battle.findByPk(id);
    if (!battle) throw notFound('Battle');
    if (battle.status !== 'live') throw conflict(`Votes are taken only while a battle is live; this one is ${battle.status}`);
    if (dancerId !== battle.dancerAId && dancerId !== battle.dancerBId) {
      throw new HttpError(400, 'validation_failed', 'dancerId must be one of the two dancers of this battle', {
        dancerId,
        allowed: [battle.dancerAId, battle.dancerBId],
      });
    }
    try {
      const vote = await Vote.create({ battleId: id, judgeId: currentUser(res).id, dancerId });
      res.status(201).json(vote);
    } catch (error) {
      // The UNIQUE (battle_id, judge_id) constraint is the source of truth: a
      // pre-check alone would let two concurrent votes by one judge both pass.
      if (error instanceof UniqueConstraintError) throw conflict('This judge has already voted in this battle');
      throw error;
    }
  });

  router.post('/battles/:id/complete', requireUser('mc', 'staff'), async (req, res) => {
    const battle = await completeBattle(sequelize, models, parseId(req));
    res.json(battle);
  });

  return router;
}

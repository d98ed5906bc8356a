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
    const id = parseId(req);
    // The row lock makes check-then-update atomic: of two MCs starting the same
    // battle at once, the second sees 'live' and gets its 409.
    const battle = await sequelize.transaction(async (transaction) => {
      const found = await Battle.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!found) throw notFound('Battle');
      if (found.status !== 'pending') throw conflict(`Only a pending battle can start; this one is ${found.status}`);
      if (found.dancerAId === null || found.dancerBId === null) throw conflict('Both dancers must be known before the battle starts');
      return found.update({ status: 'live' }, { transaction });
    });
    res.json(battle);
  });

  router.post('/battles/:id/votes', requireUser('judge'), async (req, res) => {
    const id = parseId(req);
    const { dancerId } = parseBody(voteBody, req);
    const judgeId = currentUser(res).id;
    try {
      const vote = await sequelize.transaction(async (transaction) => {
        // FOR SHARE: votes do not wait for each other, but a completion (FOR
        // UPDATE on the same row) waits for every vote that checked 'live'
        // before it, and a vote that comes after the completion waits for it
        // and then reads 'completed'. Without the lock a vote could pass the
        // check, be stored after the tally, get 201 and be ignored.
        const battle = await Battle.findByPk(id, { transaction, lock: transaction.LOCK.SHARE });
        if (!battle) throw notFound('Battle');
        if (battle.status !== 'live') throw conflict(`Votes are taken only while a battle is live; this one is ${battle.status}`);
        if (dancerId !== battle.dancerAId && dancerId !== battle.dancerBId) {
          throw new HttpError(400, 'validation_failed', 'dancerId must be one of the two dancers of this battle', {
            dancerId,
            allowed: [battle.dancerAId, battle.dancerBId],
          });
        }
        return Vote.create({ battleId: id, judgeId, dancerId }, { transaction });
      });
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

import { Router } from 'express';
import type { Models } from '../models/index.ts';
import type { RequireUser } from '../auth/middleware.ts';
import { notFound } from '../errors.ts';
import { createTournamentBody, updateTournamentBody } from '../schemas.ts';
import { parseBody, parseId } from '../validation.ts';

/**
 * Tournaments CRUD. Reading needs any signed-in role, writing admin or staff,
 * deleting admin only. A duplicate name is a 409 from the UNIQUE constraint
 * (see errorHandler), not from a pre-check that a concurrent request could race.
 */
export function tournamentsRouter(models: Models, requireUser: RequireUser): Router {
  const router = Router();
  const { Tournament } = models;

  router.get('/tournaments', requireUser(), async (_req, res) => {
    const items = await Tournament.findAll({ order: [['id', 'ASC']] });
    res.json({ items });
  });

  router.post('/tournaments', requireUser('admin', 'staff'), async (req, res) => {
    const body = parseBody(createTournamentBody, req);
    const tournament = await Tournament.create({ name: body.name, startsOn: body.startsOn ?? null });
    res.status(201).json(tournament);
  });

  router.get('/tournaments/:id', requireUser(), async (req, res) => {
    const tournament = await Tournament.findByPk(parseId(req));
    if (!tournament) throw notFound('Tournament');
    res.json(tournament);
  });

  router.patch('/tournaments/:id', requireUser('admin', 'staff'), async (req, res) => {
    const id = parseId(req);
    const body = parseBody(updateTournamentBody, req);
    const tournament = await Tournament.findByPk(id);
    if (!tournament) throw notFound('Tournament');
    await tournament.update(body);
    res.json(tournament);
  });

  router.delete('/tournaments/:id', requireUser('admin'), async (req, res) => {
    const deleted = await Tournament.destroy({ where: { id: parseId(req) } });
    if (deleted === 0) throw notFound('Tournament');
    res.status(204).end();
  });

  return router;
}

import { Router, type Request } from 'express';
import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { RequireUser } from '../auth/middleware.ts';
import { conflict, notFound } from '../errors.ts';
import { emptyBody, namedBody } from '../schemas.ts';
import { parseBody, parseId } from '../validation.ts';
import { createBracket } from '../bracket.ts';

/** Categories, dancers and brackets: setting up a tournament is admin or staff work. */
export function categoriesRouter(sequelize: Sequelize, models: Models, requireUser: RequireUser): Router {
  const router = Router();
  const { Tournament, Category, Dancer, Battle } = models;

  // Path id first (400), then body (400), then existence (404).
  const parse = (req: Request) => ({ id: parseId(req), body: parseBody(namedBody, req) });

  router.post('/tournaments/:id/categories', requireUser('admin', 'staff'), async (req, res) => {
    const { id, body } = parse(req);
    if (!(await Tournament.findByPk(id))) throw notFound('Tournament');
    const category = await Category.create({ tournamentId: id, name: body.name });
    res.status(201).json(category);
  });

  router.post('/categories/:id/dancers', requireUser('admin', 'staff'), async (req, res) => {
    const { id, body } = parse(req);
    const dancer = await sequelize.transaction(async (transaction) => {
      // FOR SHARE on the category: dancers do not wait for each other, but
      // createBracket (FOR UPDATE on the same row) waits for every dancer that
      // passed the check below, so it counts them; a dancer that comes while the
      // bracket is built waits for it and then sees its battles. Without the
      // lock a dancer could pass the check, be stored after the bracket had read
      // the dancers, get 201 and never battle.
      if (!(await Category.findByPk(id, { transaction, lock: transaction.LOCK.SHARE }))) throw notFound('Category');
      // Once the bracket exists its round 1 is fixed; a late dancer would never battle.
      if ((await Battle.count({ where: { categoryId: id }, transaction })) > 0) throw conflict('The bracket of this category is already created');
      return Dancer.create({ categoryId: id, name: body.name }, { transaction });
    });
    res.status(201).json(dancer);
  });

  router.post('/categories/:id/bracket', requireUser('admin', 'staff'), async (req, res) => {
    const id = parseId(req);
    // No body is needed; one that is sent must be empty (strict, like every other body).
    if (req.body !== undefined) parseBody(emptyBody, req);
    const battles = await createBracket(sequelize, models, id);
    res.status(201).json({ items: battles });
  });

  return router;
}

import type { Sequelize, Transaction } from 'sequelize';
import { HttpError, conflict, notFound } from './errors.ts';
import type { BattleInstance, Models } from './models/index.ts';

/** True for 2, 4, 8, ...: the sizes a single-elimination bracket fills without byes. */
export function isPowerOfTwo(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

/**
 * Creates a category's whole single-elimination bracket in ONE transaction:
 * round 1 pairs the dancers in creation order (1 vs 2, 3 vs 4, ...), and every
 * later round is created empty so that completing a battle can move its winner
 * to position floor(p / 2) of the next round.
 *
 * Rule (kept simple on purpose): the number of dancers must be a power of two
 * (2, 4, 8, ...), otherwise 409; byes are not supported. A second bracket for
 * the same category is a 409, both by the check below and by the
 * UNIQUE (category_id, round, position) constraint under a race.
 */
export async function createBracket(sequelize: Sequelize, models: Models, categoryId: number): Promise<BattleInstance[]> {
  const { Category, Dancer, Battle } = models;
  return sequelize.transaction(async (transaction: Transaction) => {
    // Locking the category serialises two concurrent bracket requests.
    const category = await Category.findByPk(categoryId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!category) throw notFound('Category');
    const existing = await Battle.count({ where: { categoryId }, transaction });
    if (existing > 0) throw conflict('This category already has a bracket');
    const dancers = await Dancer.findAll({ where: { categoryId }, order: [['id', 'ASC']], transaction });
    if (!isPowerOfTwo(dancers.length)) {
      throw new HttpError(409, 'conflict', `A bracket needs 2, 4, 8, 16... dancers; this category has ${dancers.length}`, {
        dancers: dancers.length,
      });
    }
    const rows: { categoryId: number; round: number; position: number; dancerAId: number | null; dancerBId: number | null }[] = [];
    for (let position = 0; position < dancers.length / 2; position++) {
      rows.push({ categoryId, round: 1, position, dancerAId: dancers[2 * position]!.id, dancerBId: dancers[2 * position + 1]!.id });
    }
    for (let round = 2, size = dancers.length / 4; size >= 1; round++, size /= 2) {
      for (let position = 0; position < size; position++) rows.push({ categoryId, round, position, dancerAId: null, dancerBId: null });
    }
    return Battle.bulkCreate(rows, { transaction, returning: true });
  });
}

/**
 * The battle the show is on: the first battle of the tournament that is not
 * completed (a live one, or else the next pending one), in category, round,
 * position order. Null when every battle is completed.
 */
export async function firstOpenBattle(models: Models, tournamentId: number, transaction: Transaction): Promise<BattleInstance | null> {
  return models.Battle.findOne({
    where: { status: ['live', 'pending'] },
    include: [{ model: models.Category, as: 'category', where: { tournamentId }, attributes: [] }],
    order: [
      ['categoryId', 'ASC'],
      ['round', 'ASC'],
      ['position', 'ASC'],
    ],
    transaction,
  });
}

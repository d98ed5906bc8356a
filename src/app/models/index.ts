import type { Sequelize } from 'sequelize';
import { defineUser, type UserModel } from './user.ts';
import { defineTournament, type TournamentModel } from './tournament.ts';
import { defineCategory, type CategoryModel } from './category.ts';
import { defineDancer, type DancerModel } from './dancer.ts';
import { defineBattle, type BattleModel } from './battle.ts';
import { defineVote, type VoteModel } from './vote.ts';

export * from './user.ts';
export * from './tournament.ts';
export * from './category.ts';
export * from './dancer.ts';
export * from './battle.ts';
export * from './vote.ts';

export interface Models {
  User: UserModel;
  Tournament: TournamentModel;
  Category: CategoryModel;
  Dancer: DancerModel;
  Battle: BattleModel;
  Vote: VoteModel;
}

/**
 * Defines every model on `sequelize` and wires the associations. Models belong to
 * one Sequelize instance, so there is no module-level instance: the server calls
 * this once, and each test worker calls it for its own database.
 * The schema comes from migrations; `sync()` is never called.
 */
export function defineModels(sequelize: Sequelize): Models {
  const User = defineUser(sequelize);
  const Tournament = defineTournament(sequelize);
  const Category = defineCategory(sequelize);
  const Dancer = defineDancer(sequelize);
  const Battle = defineBattle(sequelize);
  const Vote = defineVote(sequelize);

  Tournament.hasMany(Category, { foreignKey: 'tournamentId', as: 'categories' });
  Category.belongsTo(Tournament, { foreignKey: 'tournamentId', as: 'tournament' });
  // constraints: false because the migration owns the (circular) foreign key.
  Tournament.belongsTo(Battle, { foreignKey: 'currentBattleId', as: 'currentBattle', constraints: false });

  Category.hasMany(Dancer, { foreignKey: 'categoryId', as: 'dancers' });
  Dancer.belongsTo(Category, { foreignKey: 'categoryId', as: 'category' });

  Category.hasMany(Battle, { foreignKey: 'categoryId', as: 'battles' });
  Battle.belongsTo(Category, { foreignKey: 'categoryId', as: 'category' });
  Battle.belongsTo(Dancer, { foreignKey: 'dancerAId', as: 'dancerA' });
  Battle.belongsTo(Dancer, { foreignKey: 'dancerBId', as: 'dancerB' });
  Battle.belongsTo(Dancer, { foreignKey: 'winnerId', as: 'winner' });

  Battle.hasMany(Vote, { foreignKey: 'battleId', as: 'votes' });
  Vote.belongsTo(Battle, { foreignKey: 'battleId', as: 'battle' });
  Vote.belongsTo(User, { foreignKey: 'judgeId', as: 'judge' });
  Vote.belongsTo(Dancer, { foreignKey: 'dancerId', as: 'dancer' });
  User.hasMany(Vote, { foreignKey: 'judgeId', as: 'votes' });

  return { User, Tournament, Category, Dancer, Battle, Vote };
}

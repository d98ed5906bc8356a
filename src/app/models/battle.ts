import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export const BATTLE_STATUSES = ['pending', 'live', 'completed'] as const;
export type BattleStatus = (typeof BATTLE_STATUSES)[number];

export interface BattleInstance extends Model<InferAttributes<BattleInstance>, InferCreationAttributes<BattleInstance>> {
  id: CreationOptional<number>;
  categoryId: number;
  /** 1 for the first round; the final is round log2(dancers). */
  round: number;
  /** 0-based within the round; the winner moves to position floor(p / 2) of the next round. */
  position: number;
  dancerAId: CreationOptional<number | null>;
  dancerBId: CreationOptional<number | null>;
  status: CreationOptional<BattleStatus>;
  winnerId: CreationOptional<number | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type BattleModel = ModelStatic<BattleInstance>;

export function defineBattle(sequelize: Sequelize): BattleModel {
  return sequelize.define<BattleInstance>(
    'Battle',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      categoryId: { type: DataTypes.INTEGER, allowNull: false },
      round: { type: DataTypes.INTEGER, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      // Explicit column names: how `underscored` splits "dancerAId" is not worth guessing.
      dancerAId: { type: DataTypes.INTEGER, allowNull: true, field: 'dancer_a_id' },
      dancerBId: { type: DataTypes.INTEGER, allowNull: true, field: 'dancer_b_id' },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'pending' },
      winnerId: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'battles', underscored: true },
  );
}

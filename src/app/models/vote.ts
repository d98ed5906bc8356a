import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface VoteInstance extends Model<InferAttributes<VoteInstance>, InferCreationAttributes<VoteInstance>> {
  id: CreationOptional<number>;
  battleId: number;
  judgeId: number;
  dancerId: number;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type VoteModel = ModelStatic<VoteInstance>;

export function defineVote(sequelize: Sequelize): VoteModel {
  return sequelize.define<VoteInstance>(
    'Vote',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      battleId: { type: DataTypes.INTEGER, allowNull: false },
      judgeId: { type: DataTypes.INTEGER, allowNull: false },
      dancerId: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'votes', underscored: true },
  );
}

import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface TournamentInstance extends Model<InferAttributes<TournamentInstance>, InferCreationAttributes<TournamentInstance>> {
  id: CreationOptional<number>;
  name: string;
  /** `YYYY-MM-DD` (DATEONLY comes back as a string, not a Date). */
  startsOn: CreationOptional<string | null>;
  eventMode: CreationOptional<boolean>;
  currentBattleId: CreationOptional<number | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type TournamentModel = ModelStatic<TournamentInstance>;

export function defineTournament(sequelize: Sequelize): TournamentModel {
  return sequelize.define<TournamentInstance>(
    'Tournament',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(120), allowNull: false },
      startsOn: { type: DataTypes.DATEONLY, allowNull: true },
      eventMode: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      currentBattleId: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'tournaments', underscored: true },
  );
}

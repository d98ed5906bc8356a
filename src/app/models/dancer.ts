import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface DancerInstance extends Model<InferAttributes<DancerInstance>, InferCreationAttributes<DancerInstance>> {
  id: CreationOptional<number>;
  categoryId: number;
  name: string;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type DancerModel = ModelStatic<DancerInstance>;

export function defineDancer(sequelize: Sequelize): DancerModel {
  return sequelize.define<DancerInstance>(
    'Dancer',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      categoryId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'dancers', underscored: true },
  );
}

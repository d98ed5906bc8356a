import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface CategoryInstance extends Model<InferAttributes<CategoryInstance>, InferCreationAttributes<CategoryInstance>> {
  id: CreationOptional<number>;
  tournamentId: number;
  name: string;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type CategoryModel = ModelStatic<CategoryInstance>;

export function defineCategory(sequelize: Sequelize): CategoryModel {
  return sequelize.define<CategoryInstance>(
    'Category',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tournamentId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'categories', underscored: true },
  );
}

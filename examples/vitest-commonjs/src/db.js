// The app's database: one Sequelize instance, built from process.env when this
// module is first required (the usual shape of an app that never heard of tests).
const { Sequelize, DataTypes } = require('sequelize');

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

const Category = sequelize.define('Category', { name: { type: DataTypes.TEXT, allowNull: false } }, { tableName: 'categories', timestamps: false });

const User = sequelize.define(
  'User',
  {
    email: { type: DataTypes.TEXT, allowNull: false, unique: true },
    passwordHash: { type: DataTypes.TEXT, allowNull: false, field: 'password_hash' },
    role: { type: DataTypes.TEXT, allowNull: false },
  },
  { tableName: 'users', timestamps: false },
);

const Product = sequelize.define(
  'Product',
  {
    name: { type: DataTypes.TEXT, allowNull: false },
    categoryId: { type: DataTypes.INTEGER, allowNull: false, field: 'category_id' },
    createdBy: { type: DataTypes.INTEGER, allowNull: false, field: 'created_by' },
  },
  { tableName: 'products', timestamps: false },
);

module.exports = { sequelize, models: { Category, User, Product } };

'use strict';
// The app's database layer, built once from the environment when first required
// (a singleton, as most Express + Sequelize apps do). It knows nothing of tests.
const { Sequelize, DataTypes } = require('sequelize');

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

const User = sequelize.define('User', {
  email: { type: DataTypes.TEXT, allowNull: false, unique: true },
  role: { type: DataTypes.TEXT, allowNull: false },
}, { tableName: 'users', underscored: true });

const Note = sequelize.define('Note', {
  text: { type: DataTypes.TEXT, allowNull: false },
}, { tableName: 'notes', underscored: true });

Note.belongsTo(User, { as: 'author', foreignKey: 'authorId' });

module.exports = { sequelize, User, Note };

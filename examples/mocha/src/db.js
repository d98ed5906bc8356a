// The app's database layer: one Sequelize instance, built from the environment when first required.
const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

const User = sequelize.define('User', {
  email: { type: DataTypes.TEXT, allowNull: false, unique: true },
  role: { type: DataTypes.TEXT, allowNull: false },
}, { tableName: 'users', underscored: true });

const Article = sequelize.define('Article', {
  title: { type: DataTypes.TEXT, allowNull: false },
  authorId: { type: DataTypes.INTEGER, allowNull: false },
}, { tableName: 'articles', underscored: true });

Article.belongsTo(User, { as: 'author', foreignKey: 'authorId' });

module.exports = { sequelize, User, Article };

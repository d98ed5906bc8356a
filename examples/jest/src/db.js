// The app's database layer: one Sequelize instance, built from the environment
// when the module loads (the usual singleton). Nothing here knows about tests.
const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

const User = sequelize.define('User', {
  name: { type: DataTypes.TEXT, allowNull: false },
  role: { type: DataTypes.TEXT, allowNull: false },
}, { tableName: 'users', underscored: true });

const Note = sequelize.define('Note', {
  title: { type: DataTypes.TEXT, allowNull: false },
}, { tableName: 'notes', underscored: true });

Note.belongsTo(User, { as: 'author', foreignKey: 'authorId' });

module.exports = { sequelize, User, Note };

// The app's database, built by a factory: each call returns a fresh Sequelize
// instance and its models for the URL it is given. No singleton, nothing read
// from process.env here: the caller decides which database.
const { Sequelize, DataTypes } = require('sequelize');

function createDatabase(url) {
  const sequelize = new Sequelize(url, { logging: false });

  const Queue = sequelize.define('Queue', { name: { type: DataTypes.TEXT, allowNull: false, unique: true } }, { tableName: 'queues', timestamps: false });

  const User = sequelize.define(
    'User',
    {
      email: { type: DataTypes.TEXT, allowNull: false, unique: true },
      role: { type: DataTypes.TEXT, allowNull: false },
    },
    { tableName: 'users', timestamps: false },
  );

  const Ticket = sequelize.define(
    'Ticket',
    {
      title: { type: DataTypes.TEXT, allowNull: false },
      queueId: { type: DataTypes.INTEGER, allowNull: false, field: 'queue_id' },
      createdBy: { type: DataTypes.INTEGER, allowNull: false, field: 'created_by' },
    },
    { tableName: 'tickets', timestamps: false },
  );

  return { sequelize, models: { Queue, User, Ticket } };
}

module.exports = { createDatabase };

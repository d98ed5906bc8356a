// The Express app, exported ready to use. It knows nothing about the test kit:
// the tests mount the kit's override in front of it.
const express = require('express');
const { sequelize, User, Note } = require('./db');
const { userIdFrom } = require('./tokens');

const app = express();
app.use(express.json());

app.use(async (req, _res, next) => {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  const id = token && userIdFrom(token);
  req.user = id ? await User.findByPk(id) : null;
  next();
});

app.get('/notes', async (_req, res) => {
  res.json(await Note.findAll({ order: [['id', 'ASC']], include: [{ model: User, as: 'author', attributes: ['name'] }] }));
});

app.post('/notes', async (req, res) => {
  if (!req.user) return res.status(401).json({ error: 'sign in first' });
  if (req.user.role !== 'admin') return res.status(403).json({ error: 'admins only' });
  // An unmanaged transaction, as apps write them: under the kit it becomes a savepoint.
  const t = await sequelize.transaction();
  try {
    const note = await Note.create({ title: req.body.title, authorId: req.user.id }, { transaction: t });
    await t.commit();
    res.status(201).json(note);
  } catch (error) {
    await t.rollback();
    res.status(error.name === 'SequelizeUniqueConstraintError' ? 409 : 400).json({ error: error.message });
  }
});

module.exports = app;

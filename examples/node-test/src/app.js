'use strict';
// The Express app, a singleton like its database layer. It has no test hook.
const express = require('express');
const { sequelize, User, Note } = require('./db');
const { verifyToken } = require('./tokens');

const app = express();
app.use(express.json());

app.use(async (req, res, next) => {
  const [scheme, token] = (req.get('authorization') ?? '').split(' ');
  const userId = scheme === 'Bearer' ? verifyToken(token) : undefined;
  req.user = userId === undefined ? null : await User.findByPk(userId);
  if (!req.user) return res.status(401).json({ error: 'sign in first' });
  next();
});

app.get('/notes', async (req, res) => {
  const notes = await Note.findAll({ include: [{ model: User, as: 'author', attributes: ['email'] }], order: [['id', 'ASC']] });
  res.json(notes.map((n) => ({ id: n.id, text: n.text, author: n.author.email })));
});

app.post('/notes', async (req, res) => {
  if (req.user.role !== 'editor') return res.status(403).json({ error: 'editors only' });
  if (typeof req.body?.text !== 'string' || !req.body.text) return res.status(400).json({ error: 'text is required' });
  // An app transaction: in a test it becomes a savepoint of the test's transaction.
  const note = await sequelize.transaction((transaction) => Note.create({ text: req.body.text, authorId: req.user.id }, { transaction }));
  res.status(201).json({ id: note.id, text: note.text });
});

module.exports = app;

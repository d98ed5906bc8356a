// The Express app, as production runs it: it knows nothing of tests.
const express = require('express');
const { User, Article } = require('./db');
const { verify } = require('./tokens');

const app = express();
app.use(express.json());

app.use(async (req, _res, next) => {
  const id = verify((req.get('authorization') || '').replace(/^Bearer /, ''));
  req.user = id === undefined ? null : await User.findByPk(id);
  next();
});

app.get('/articles', async (_req, res) => {
  res.json(await Article.findAll({ order: [['id', 'ASC']] }));
});

app.get('/articles/:id', async (req, res) => {
  const article = await Article.findByPk(req.params.id, { include: 'author' });
  if (!article) return res.status(404).json({ error: 'not found' });
  res.json(article);
});

app.post('/articles', async (req, res) => {
  if (!req.user) return res.status(401).json({ error: 'sign in' });
  if (req.user.role !== 'editor') return res.status(403).json({ error: 'editors only' });
  const article = await Article.create({ title: req.body.title, authorId: req.user.id });
  res.status(201).json(article);
});

module.exports = app;

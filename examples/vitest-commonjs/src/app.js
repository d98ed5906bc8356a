// The Express app. It knows nothing of tests: it requires the singleton.
const express = require('express');
const { models } = require('./db');
const { mintToken, verifyToken, checkPassword } = require('./auth');

const app = express();
app.use(express.json());

function authenticate(req, res, next) {
  const claims = verifyToken((req.get('authorization') || '').replace(/^Bearer /, ''));
  if (!claims) return res.status(401).json({ error: 'unauthenticated' });
  req.user = claims;
  next();
}

app.post('/login', async (req, res) => {
  const user = await models.User.findOne({ where: { email: String(req.body?.email) } });
  if (!user || !checkPassword(String(req.body?.password), user.passwordHash)) return res.status(401).json({ error: 'bad credentials' });
  res.json({ token: mintToken(user) });
});

app.get('/categories', async (_req, res) => {
  res.json(await models.Category.findAll({ order: [['id', 'ASC']] }));
});

app.get('/products/:id', async (req, res) => {
  const product = await models.Product.findByPk(Number(req.params.id));
  if (!product) return res.status(404).json({ error: 'not found' });
  res.json(product);
});

app.post('/products', authenticate, async (req, res) => {
  if (req.user.role !== 'admin') return res.status(403).json({ error: 'forbidden' });
  const category = await models.Category.findOne({ where: { name: String(req.body?.category) } });
  if (!category) return res.status(400).json({ error: 'unknown category' });
  const product = await models.Product.create({ name: req.body.name, categoryId: category.id, createdBy: req.user.sub });
  res.status(201).json(product);
});

module.exports = app;

// The Express app, built by a factory from the database it is given. It knows
// nothing of tests; the middleware it is given runs before everything else.
const express = require('express');
const { verifyToken } = require('./auth');

function createApp({ models }, { firstMiddleware } = {}) {
  const app = express();
  if (firstMiddleware) app.use(firstMiddleware);
  app.use(express.json());

  function authenticate(req, res, next) {
    const claims = verifyToken((req.get('authorization') || '').replace(/^Bearer /, ''));
    if (!claims) return res.status(401).json({ error: 'unauthenticated' });
    req.user = claims;
    next();
  }

  function staffOnly(req, res, next) {
    if (req.user.role !== 'staff') return res.status(403).json({ error: 'forbidden' });
    next();
  }

  app.get('/queues', async (_req, res) => {
    res.json(await models.Queue.findAll({ order: [['id', 'ASC']] }));
  });

  app.post('/queues', authenticate, staffOnly, async (req, res) => {
    const name = typeof req.body?.name === 'string' ? req.body.name.trim() : '';
    if (!name) return res.status(400).json({ error: 'name is required' });
    if (await models.Queue.findOne({ where: { name } })) return res.status(409).json({ error: 'queue exists' });
    res.status(201).json(await models.Queue.create({ name }));
  });

  // Staff see every ticket; a customer sees their own.
  app.get('/tickets', authenticate, async (req, res) => {
    const where = req.user.role === 'staff' ? {} : { createdBy: req.user.sub };
    res.json(await models.Ticket.findAll({ where, order: [['id', 'ASC']] }));
  });

  app.get('/tickets/:id', authenticate, async (req, res) => {
    const ticket = await models.Ticket.findByPk(Number(req.params.id));
    if (!ticket || (req.user.role !== 'staff' && ticket.createdBy !== req.user.sub)) return res.status(404).json({ error: 'not found' });
    res.json(ticket);
  });

  app.post('/tickets', authenticate, async (req, res) => {
    const title = typeof req.body?.title === 'string' ? req.body.title.trim() : '';
    if (!title) return res.status(400).json({ error: 'title is required' });
    const queue = await models.Queue.findOne({ where: { name: String(req.body?.queue) } });
    if (!queue) return res.status(400).json({ error: 'unknown queue' });
    res.status(201).json(await models.Ticket.create({ title, queueId: queue.id, createdBy: req.user.sub }));
  });

  return app;
}

module.exports = { createApp };

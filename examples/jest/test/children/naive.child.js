// Run by child-runs.test.js: what a hand-made Jest setup without the kit's
// environment does. It opens a transaction in beforeEach, hands it to
// Sequelize's CLS with AsyncLocalStorage.enterWith(), and rolls it back in
// afterEach. The tests pass, but enterWith() does not reach the test body, so
// every row is committed: only the per-file leak check notices.
const http = require('node:http');
const { AsyncLocalStorage } = require('node:async_hooks');
const axios = require('axios');
const { Sequelize } = require('sequelize');
const { workerDatabaseUrl, checkWorkerDatabase } = require('sequelize-shared-session');

const storage = new AsyncLocalStorage();
Sequelize.useCLS({
  get: (key) => storage.getStore()?.get(key),
  set: (key, value) => storage.getStore()?.set(key, value),
  run: (fn) => storage.run(new Map(storage.getStore()), () => fn()),
  bind: (fn) => fn,
});

let db, server, url, transaction;
beforeAll(async () => {
  url = process.env.DATABASE_URL = await workerDatabaseUrl();
  db = require('../../src/db');
  server = http.createServer(require('../../src/app'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.sequelize.close();
  await checkWorkerDatabase(url); // throws "Rows left behind after this file: ..."
});

beforeEach(async () => {
  transaction = await db.sequelize.transaction();
  storage.enterWith(new Map([['transaction', transaction]]));
});
afterEach(() => transaction.rollback());

const get = (path) => axios.get(`http://127.0.0.1:${server.address().port}${path}`);

test('a fixture row is visible to a request', async () => {
  const author = await db.User.create({ name: 'Ada', role: 'admin' });
  await db.Note.create({ title: 'first', authorId: author.id });
  expect((await get('/notes')).data.map((n) => n.title)).toContain('first');
});

test('a second test writes too', async () => {
  const author = await db.User.create({ name: 'Grace', role: 'admin' });
  await db.Note.create({ title: 'second', authorId: author.id });
  expect((await get('/notes')).data.map((n) => n.title)).toContain('second');
});

'use strict';
// Negative control: the adapter a newcomer would write, with no kit around the
// test body. node:test runs beforeEach outside the body's async context, so an
// AsyncLocalStorage.enterWith() there does not reach the body: every row the
// body writes is committed, the rollback undoes nothing, and the tests pass.
// Only the per-file leak check notices.
const assert = require('node:assert/strict');
const { AsyncLocalStorage } = require('node:async_hooks');
const { test, before, beforeEach, afterEach, after } = require('node:test');
const { workerDatabaseUrl, checkWorkerDatabase } = require('sequelize-shared-session');

const storage = new AsyncLocalStorage();
const namespace = {
  get: (key) => storage.getStore()?.get(key),
  set: (key, value) => storage.getStore()?.set(key, value),
  run: (fn) => { const values = new Map(storage.getStore()); return storage.run(values, () => fn(values)); },
  bind: (fn) => fn,
};
let db;
let url;
let transaction;

before(async () => {
  url = await workerDatabaseUrl();
  process.env.DATABASE_URL = url;
  require('sequelize').Sequelize.useCLS(namespace);
  db = require('../src/db');
});
beforeEach(async () => {
  transaction = await db.sequelize.transaction();
  storage.enterWith(new Map([['transaction', transaction]])); // the naive step
});
afterEach(() => transaction.rollback());

test('the body does not see what beforeEach entered, so its row commits', async () => {
  assert.equal(storage.getStore(), undefined);
  await db.User.create({ email: 'escaped@example.test', role: 'viewer' });
});

test('the row survived its rollback', async () => {
  assert.equal(await db.User.count({ transaction: null }), 1);
});

after(async () => {
  await db.sequelize.close();
  // The same check the kit runs after every file: it catches the leak (and empties the tables).
  await assert.rejects(checkWorkerDatabase(url), /Rows left behind after this file: users \(1\)/);
  console.log('negative control: the per-file check caught the row the naive adapter let escape');
});

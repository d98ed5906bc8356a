// #region first-test
import { createRequire } from 'node:module';
import { test, expect } from './fixtures.mjs';

const { hashPassword } = createRequire(import.meta.url)('../src/auth.js');

test('when a product is created in the test, then GET /products/:id sees it', async ({ app, clientFor }) => {
  const { User, Category, Product } = app.models;
  const owner = await User.create({ email: 'owner@example.test', passwordHash: 'x:no-login', role: 'admin' });
  const books = await Category.findOne({ where: { name: 'books' } }); // a seed row of the template
  const product = await Product.create({ name: 'Dune', categoryId: books.id, createdBy: owner.id });

  const res = await (await clientFor()).get(`/products/${product.id}`);

  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ name: 'Dune', categoryId: books.id });
});
// #endregion first-test

test('when an admin POSTs a product, then the test reads it from the database', async ({ app, clientFor }) => {
  const admin = await clientFor('admin');

  const res = await admin.post('/products', { name: 'Kind of Blue', category: 'music' });

  expect(res.status).toBe(201);
  const row = await app.models.Product.findByPk(res.data.id);
  expect(row.name).toBe('Kind of Blue');
  expect(await app.models.Product.count()).toBe(1);
});

test('when a member POSTs a product, then 403, and anonymous gets 401', async ({ app, clientFor }) => {
  const member = await clientFor('member');

  expect((await member.post('/products', { name: 'Nope', category: 'games' })).status).toBe(403);
  expect((await (await clientFor()).post('/products', { name: 'Nope', category: 'games' })).status).toBe(401);
  expect(await app.models.Product.count()).toBe(0);
});

// #region seed-rows
test('when the categories are listed, then the seed rows are there', async ({ clientFor }) => {
  const res = await (await clientFor()).get('/categories');

  expect(res.status).toBe(200);
  expect(res.data.map((c) => c.name)).toEqual(['books', 'music', 'games']);
});
// #endregion seed-rows

test('when a user logs in through the real route, then the token works (one hash, in the one test that needs it)', async ({ app, clientFor }) => {
  await app.models.User.create({ email: 'ana@example.test', passwordHash: hashPassword('s3cret'), role: 'admin' });
  const anonymous = await clientFor();

  const login = await anonymous.post('/login', { email: 'ana@example.test', password: 's3cret' });
  expect(login.status).toBe(200);
  const created = await anonymous.post('/products', { name: 'Hades', category: 'games' }, { headers: { authorization: `Bearer ${login.data.token}` } });

  expect(created.status).toBe(201);
  expect((await anonymous.post('/login', { email: 'ana@example.test', password: 'wrong' })).status).toBe(401);
});

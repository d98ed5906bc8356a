// A test under the kit is never more forgiving than production. Each test here
// sends a request (or runs test-body code) that production handles in a way a
// naive shared transaction gets wrong, and checks that the kit either does what
// production does (writes of a failed request stay; a failing statement undoes
// only itself) or refuses the case with an error naming it and the fix.
import pg from 'pg';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { currentContext, kitStorage } from '../cls.ts';
import type { SharedSessionError } from '../errors.ts';
import { createSharedSessionTest } from '../vitest.ts';
import type { TestSession } from '../session.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

function session(): TestSession {
  const current = currentContext()?.session;
  if (!current) throw new Error('not inside a kit test');
  return current;
}

/** Takes the failures the kit recorded for this test, so the test asserts them instead of failing with them. */
function takeFailures(): SharedSessionError[] {
  return session().failures.splice(0);
}

async function committedPeople(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n);
  } finally {
    await client.end();
  }
}

test.for([400, 500, 0])('when a handler writes and then fails (status %i, 0 = throws), then the write stays, as autocommit leaves it', async (status, { clientFor }) => {
  const client = await clientFor();

  const res = await client.post(`/people/then-fail?status=${status}`);

  expect(res.status).toBe(status === 0 ? 500 : status);
  expect(await Person.count()).toBe(1);
});

test('when a handler swallows a failing statement and answers 201, then only that statement is undone and the transaction stays usable', async ({ clientFor }) => {
  const client = await clientFor();

  expect((await client.post('/people/swallow-failure')).status).toBe(201);

  expect(await Person.count()).toBe(1); // the write before the failure stays
  expect((await client.post('/people')).status).toBe(201); // no 25P02 for the next request
  expect(await Person.count()).toBe(2); // nor for the test body
});

test('when a query inside an app transaction omits { transaction }, then it is refused, naming the SQL and where production runs it', async ({ clientFor }) => {
  const client = await clientFor();

  const res = await client.post('/people/transaction-without-option');

  expect(res.status).toBe(500);
  expect(res.data.error.message).toMatch(/^SharedSessionError: A query ran outside the open app transaction: the request POST \/people\/transaction-without-option/);
  expect(res.data.error.message).toContain('query: SELECT count(*)');
  expect(res.data.error.message).toContain('runs on another pooled connection');
  expect(await Person.count()).toBe(0); // the app transaction rolled back with the error
});

test('when a second app transaction opens while one is open, then it is refused', async ({ app }) => {
  const first = await app.sequelize.transaction();

  await expect(app.sequelize.transaction()).rejects.toThrow(/^A second app transaction opened while another was open: the test body/);
  await first.rollback();
  const next = await app.sequelize.transaction(); // once the first ended, a new one is fine
  await next.commit();
});

test('when a request ends with an unmanaged transaction still open, then the test fails naming the request, and its rows are gone', async ({ clientFor }) => {
  const client = await clientFor();

  expect((await client.post('/people/transaction-left-open')).status).toBe(201);

  const [failure, ...others] = takeFailures();
  expect(others).toEqual([]);
  expect(failure?.message).toMatch(/^A request ended with its transaction still open: POST \/people\/transaction-left-open in "when a request ends/);
  expect(await Person.count()).toBe(0); // never committed in production either
});

test.for(['COMMIT', 'END', 'ROLLBACK', 'BEGIN'])('when a handler sends %s as SQL, then it is refused before it is sent and nothing is committed', async (statement, { clientFor, databaseUrl }) => {
  const client = await clientFor();

  const res = await client.post(`/sql?statement=${statement}`);

  expect(res.status).toBe(500);
  expect(res.data.error.message).toMatch(new RegExp(`^SharedSessionError: Transaction control refused: the request POST /sql\\?statement=${statement} of "when a handler sends`));
  expect(await Person.count()).toBe(1); // the write before it stays in the test transaction...
  expect(await committedPeople(databaseUrl)).toBe(0); // ...and nothing reached the database for good
});

test('when a value or a comment contains "; COMMIT", then the statement runs: only real statements are refused', async ({ app }) => {
  await Person.create({ email: 'semi@example.com', name: 'a; COMMIT; end' });

  const [rows] = await app.sequelize.query(`SELECT name FROM users WHERE name = 'a; COMMIT; end' -- ; ROLLBACK`);

  expect(rows).toEqual([{ name: 'a; COMMIT; end' }]);
  expect(await Person.count({ where: { name: 'a; COMMIT; end' } })).toBe(1);
});

test('when the test body commits or rolls back the test transaction, then it is refused and the test goes on', async ({ tx, app, databaseUrl }) => {
  await Person.create({ email: 'body@example.com', name: 'Body' });

  await expect(tx.commit()).rejects.toThrow(/^Transaction control refused: the test body of "when the test body commits.*" sent tx\.commit\(\)/);
  await expect(tx.rollback()).rejects.toThrow(/^Transaction control refused: the test body .* sent tx\.rollback\(\)/);
  await expect(app.sequelize.query('COMMIT')).rejects.toThrow(/^Transaction control refused: the test body .* sent COMMIT/);

  expect(await Person.count()).toBe(1);
  expect(await committedPeople(databaseUrl)).toBe(0);
});

test('when a DEFERRABLE INITIALLY DEFERRED constraint is violated, then the test fails at its end, as COMMIT would', async ({ app }) => {
  await app.sequelize.query('CREATE TABLE kit_parent (id int PRIMARY KEY)');
  await app.sequelize.query('CREATE TABLE kit_child (parent_id int REFERENCES kit_parent DEFERRABLE INITIALLY DEFERRED)');
  await app.sequelize.query('INSERT INTO kit_child VALUES (1)'); // no parent 1: fine until COMMIT

  await session().end();

  const [failure] = takeFailures();
  expect(failure?.message).toMatch(/^A deferred constraint would fail at COMMIT in "when a DEFERRABLE/);
  expect(failure?.message).toContain('kit_child');
});

test('when a handler writes after its response, then the write lands as in production and the test goes on', async ({ clientFor, expect }) => {
  const client = await clientFor();

  expect((await client.post('/people/after-response')).status).toBe(202);

  await expect.poll(() => Person.count(), { timeout: 2_000 }).toBe(1);
  expect((await client.post('/people')).status).toBe(201);
});

test('when an app transaction uses SET LOCAL, then the setting ends with it and the next request is unaffected', async ({ clientFor }) => {
  const client = await clientFor();

  expect((await client.post('/people/set-local')).status).toBe(200);

  const [rows] = await Person.sequelize!.query("SELECT current_setting('search_path') AS path");
  expect(rows).toEqual([{ path: '"$user", public' }]);
  expect((await client.post('/people')).status).toBe(201);
});

test('when the test body sends a request from inside a managed transaction, then the request is refused at once', async ({ app, clientFor }) => {
  const client = await clientFor();
  const started = Date.now();

  await app.sequelize.transaction(async () => {
    await expect(client.post('/people')).rejects.toThrow(/^A request was sent inside a transaction of the test body: POST \/people/);
  });

  // Not after the 10 s lock timeout; 3 s leaves room for a loaded CI machine.
  expect(Date.now() - started).toBeLessThan(3_000);
});

test('when a fixture is registered with auto: true on the kit test, then registration is refused, naming the fixture', () => {
  expect(() => test.extend('seedRows', { auto: true }, async () => 1)).toThrow(/^Auto fixtures cannot join the test transaction: the fixture "seedRows"/);
  // Vitest reads a fixture's dependencies from its destructuring pattern, so "none" is `{}`.
  // eslint-disable-next-line no-empty-pattern
  expect(() => test.extend({ seeded: [async ({}, use) => use(1), { auto: true }] })).toThrow(/the fixture "seeded"/);
  expect(() => test.extend('perFile', { auto: true, scope: 'file' }, async () => 1)).not.toThrow();
});

// Vitest's current test is the running one only while tests run one at a time: among concurrent
// tests it is whichever started or ended last. So only a sequential test's refusal names it.
test.sequential('when code of a test queries outside its async context, then the query is refused, naming the test', async () => {
  await expect(kitStorage.exit(() => Person.count())).rejects.toThrow(/^Query outside any test transaction: in "when code of a test queries outside/);
});

test.concurrent('when code of a concurrent test queries outside its async context, then the query is still refused, naming no test', async ({ expect }) => {
  await expect(kitStorage.exit(() => Person.count())).rejects.toThrow(/^Query outside any test transaction: a query reached the test database from code that runs in no test/);
});

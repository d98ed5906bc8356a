// The savepoint that stands in for autocommit before a request's statement
// travels with the statement itself: `SAVEPOINT kit_statement; <statement>` in
// one simple-protocol query when the statement has no bind parameters (one
// round trip instead of two), sent just before it otherwise. The app must not
// be able to tell: results, row counts and error positions are what a plain
// connection returns, and a failing statement still undoes only itself.
import pg from 'pg';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { currentContext, kitStorage } from '../cls.ts';
import { createSharedSessionTest } from '../vitest.ts';
import type { TestSession } from '../session.ts';
import { connectToy, createToyApp, Person } from './toy-app.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

/** Runs `fn` as the kit runs a request's code: in the test's transaction, holding its lock, outside any app transaction. */
async function asARequest<T>(fn: () => Promise<T>): Promise<T> {
  const session = currentContext()?.session as TestSession;
  const release = await session.lock.acquire();
  try {
    return await kitStorage.run(
      { values: new Map([['transaction', session.transaction]]), session, lockLease: { held: true }, request: { label: 'GET /probe' } },
      fn,
    );
  } finally {
    release();
  }
}

/** What a plain connection (production: no kit, no transaction) answers for `sql`. */
async function onAPlainConnection(databaseUrl: string, sql: string): Promise<pg.QueryResult | (Error & { position?: string })> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } catch (error) {
    return error as Error & { position?: string };
  } finally {
    await client.end();
  }
}

/** The text of the last query the test's backend ran, read from another connection. */
async function lastQueryOf(databaseUrl: string, pid: number | undefined): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ query: string }>('SELECT query FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.query ?? '';
  } finally {
    await client.end();
  }
}

test("when a request's first statement has no bind parameters, then the savepoint goes out with it, in one round trip", async ({ app, databaseUrl }) => {
  const pid = (currentContext()?.session as TestSession).connection.processID;

  const [rows] = await asARequest(() => app.sequelize.query('SELECT 41 + 1 AS answer'));

  expect(rows).toEqual([{ answer: 42 }]);
  expect(await lastQueryOf(databaseUrl, pid)).toBe('SAVEPOINT kit_statement; SELECT 41 + 1 AS answer');
});

test('when a statement returns rows or counts them, then the app gets what a plain connection returns', async ({ app, databaseUrl }) => {
  const sql = 'SELECT n FROM generate_series(1, 3) AS n';
  const plain = (await onAPlainConnection(databaseUrl, sql)) as pg.QueryResult;

  const [rows, result] = await asARequest(() => app.sequelize.query(sql));

  expect(rows).toEqual(plain.rows);
  expect((result as pg.QueryResult).rowCount).toBe(plain.rowCount);
  expect((result as pg.QueryResult).command).toBe('SELECT');
});

test('when the app sends two statements in one query, then it gets both results, as from a plain connection', async ({ app, databaseUrl }) => {
  const sql = 'SELECT 1 AS a; SELECT 2 AS b';
  const plain = (await onAPlainConnection(databaseUrl, sql)) as unknown as pg.QueryResult[];

  const [rows, results] = await asARequest(() => app.sequelize.query(sql));

  expect(rows).toEqual([{ a: 1 }, { b: 2 }]);
  expect((results as unknown as pg.QueryResult[]).map((r) => r.rows)).toEqual(plain.map((r) => r.rows));
});

test('when a statement fails, then its error points at the same position as on a plain connection, and only it is undone', async ({ app, databaseUrl }) => {
  const sql = "SELECT 1 + 'not a number'::int AS broken";
  const plain = (await onAPlainConnection(databaseUrl, sql)) as Error & { position?: string };
  await Person.create({ email: 'kept@example.com', name: 'kept' });

  const failure = (await asARequest(() => app.sequelize.query(sql)).then(
    () => ({}),
    (error: unknown) => error,
  )) as { original?: { position?: string; message: string } };

  expect(failure.original?.message).toBe(plain.message);
  expect(failure.original?.position).toBe(plain.position);
  expect(await Person.count()).toBe(1); // the test's own row stays, and the transaction is usable
});

test('when a statement has bind parameters, then the savepoint is sent just before it, and a failure still undoes only that statement', async ({ app }) => {
  await asARequest(() => Person.create({ email: 'first@example.com', name: 'first' })); // INSERT with bind parameters

  const failure = await asARequest(() => app.sequelize.query('INSERT INTO users (email, name) VALUES ($1, $2)', { bind: ['second@example.com', null] })).catch((e: Error) => e);

  expect(failure).toBeInstanceOf(Error); // name is NOT NULL
  expect(await Person.count()).toBe(1); // the first request's row stays, as autocommit left it
});

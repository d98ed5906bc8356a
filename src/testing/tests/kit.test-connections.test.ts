// Teardown does not wait for its ROLLBACK, and that ROLLBACK opens the next
// test's transaction on a connection the kit keeps (src/testing/test-connections.ts).
// Neither may change what a test sees: the next test never runs while an
// earlier test's locks are held, its now() is never older than
// PRE_OPENED_FRESH_MS, an isolation level still applies, a connection the
// server ended is replaced, and closing the instance leaves nothing open.
import pg from 'pg';
import type { Options, Sequelize } from 'sequelize';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { TestSession, type RawConnection } from '../session.ts';
import { PRE_OPENED_FRESH_MS } from '../test-connections.ts';
import { createSharedSessionTest } from '../vitest.ts';
import { connectToy, createToyApp } from './toy-app.ts';
import { inSession } from './in-session.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

async function firstRow<T>(sequelize: Sequelize, session: TestSession, sql: string): Promise<T> {
  const [rows] = await inSession(session, () => sequelize.query(sql));
  return (rows as T[])[0]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An instance of its own with a logged statement list, closed after `body`. */
async function withInstance(databaseUrl: string, options: Options, body: (sequelize: Sequelize, log: string[]) => Promise<void>): Promise<void> {
  const log: string[] = [];
  const sequelize = createSequelize(databaseUrl, { logging: (sql) => log.push(sql), ...options });
  try {
    await body(sequelize, log);
  } finally {
    await sequelize.close();
  }
}

/** Holds back the ROLLBACK the kit sends on `connection` by `ms`, as a slow network or a busy server would. */
function delayRollback(connection: RawConnection, ms: number): void {
  const query = connection.query;
  connection.query = (sql: string) => (sql.startsWith('ROLLBACK') ? sleep(ms).then(() => query.call(connection, sql)) : query.call(connection, sql));
}

/** What pg_stat_activity says about these backends, from a connection of its own. */
async function backendStates(databaseUrl: string, pids: (number | undefined)[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = ANY($1::int[]) ORDER BY pid', [pids]);
    return result.rows.map((row) => row.state);
  } finally {
    await client.end();
  }
}

// The two tests below measure time between two awaits; a machine that stalls for
// 50 ms in between (a loaded CI runner) would fail them once, a regression every time.
const TIMING = { retry: 2 };

test('when a test ends while its rollback is still on the way, then the next test waits for it: a lock the first held is free at its first statement', TIMING, async ({ databaseUrl }) => {
  await withInstance(databaseUrl, {}, async (sequelize) => {
    // `kept` ends first, so its connection is the one the kit keeps for the next test;
    // `holder` ends second, and its rollback is held back on its own connection.
    const kept = await TestSession.begin(sequelize, 'kept');
    const holder = await TestSession.begin(sequelize, 'holder');
    await firstRow(sequelize, holder, 'SELECT pg_advisory_xact_lock(4711)');
    await kept.end();
    delayRollback(holder.connection, 300);
    const ended = performance.now();
    await holder.end();
    expect(performance.now() - ended).toBeLessThan(100); // teardown itself did not wait

    const next = await TestSession.begin(sequelize, 'next');
    try {
      expect(next.connection.processID).toBe(kept.connection.processID);
      expect(await firstRow(sequelize, next, 'SELECT pg_try_advisory_xact_lock(4711) AS got')).toEqual({ got: true });
      expect(performance.now() - ended).toBeGreaterThanOrEqual(250);
    } finally {
      await next.end();
    }
  });
});

test('when the next test starts at once, then its transaction is the one the last teardown opened, and its now() is no older than that teardown', TIMING, async ({ databaseUrl }) => {
  await withInstance(databaseUrl, {}, async (sequelize, log) => {
    const first = await TestSession.begin(sequelize, 'first');
    await firstRow(sequelize, first, 'SELECT 1');
    const teardown = performance.now();
    await first.end();

    const statementsBefore = log.length;
    const second = await TestSession.begin(sequelize, 'second');
    try {
      const row = await firstRow<{ age_ms: number }>(sequelize, second, 'SELECT extract(epoch FROM statement_timestamp() - now()) * 1000 AS age_ms');
      const sinceTeardown = performance.now() - teardown;
      expect(second.connection.processID).toBe(first.connection.processID);
      expect(log.slice(statementsBefore).filter((sql) => sql.includes('START TRANSACTION'))).toEqual([]);
      expect(Number(row.age_ms)).toBeGreaterThanOrEqual(0);
      expect(Number(row.age_ms)).toBeLessThanOrEqual(sinceTeardown + 1);
    } finally {
      await second.end();
    }
  });
});

test(`when the next test starts more than ${PRE_OPENED_FRESH_MS} ms after the last teardown, then its transaction begins with it: now() is not older than the test`, async ({ databaseUrl }) => {
  await withInstance(databaseUrl, {}, async (sequelize) => {
    const first = await TestSession.begin(sequelize, 'first');
    await first.end();
    await sleep(PRE_OPENED_FRESH_MS * 2 + 20);

    const begun = performance.now();
    const second = await TestSession.begin(sequelize, 'second');
    try {
      const row = await firstRow<{ age_ms: number }>(sequelize, second, 'SELECT extract(epoch FROM statement_timestamp() - now()) * 1000 AS age_ms');
      expect(Number(row.age_ms)).toBeLessThanOrEqual(performance.now() - begun + 1);
      // The transaction the teardown had opened was rolled back and its connection went back to the
      // pool (which may have handed it to this test: then the transaction on it is this test's own).
      const others = [first.connection.processID].filter((pid) => pid !== second.connection.processID);
      expect(await backendStates(databaseUrl, others)).not.toContain('idle in transaction');
    } finally {
      await second.end();
    }
  });
});

test('when the app sets an isolation level, then every test runs at it: no test takes a transaction the last teardown opened at the default', async ({ databaseUrl }) => {
  await withInstance(databaseUrl, { isolationLevel: 'REPEATABLE READ' as Options['isolationLevel'] }, async (sequelize) => {
    for (const name of ['first', 'second', 'third']) {
      const session = await TestSession.begin(sequelize, name);
      try {
        expect(await firstRow(sequelize, session, "SELECT current_setting('transaction_isolation') AS transaction_isolation")).toEqual({ transaction_isolation: 'repeatable read' });
      } finally {
        await session.end();
      }
    }
  });
});

test('when the server ends the kept connection for idling in a transaction, then the next test gets a working connection', async ({ databaseUrl, expect }) => {
  await withInstance(databaseUrl, { dialectOptions: { idle_in_transaction_session_timeout: 100 } }, async (sequelize) => {
    const first = await TestSession.begin(sequelize, 'first');
    await first.end();
    const pid = first.connection.processID;
    await expect.poll(() => backendStates(databaseUrl, [pid]), { timeout: 5_000 }).toEqual([]);

    const second = await TestSession.begin(sequelize, 'second');
    try {
      expect(await firstRow(sequelize, second, 'SELECT 1 AS ok')).toEqual({ ok: 1 });
      expect(second.connection.processID).not.toBe(pid);
    } finally {
      await second.end();
    }
  });
});

test('when the instance closes after tests, then close does not wait for the kept connection and no backend is left in a transaction', async ({ databaseUrl, expect }) => {
  const sequelize = createSequelize(databaseUrl);
  // Two tests at once: one connection is kept for a next test, the other goes back to the pool.
  const [one, two] = await Promise.all([TestSession.begin(sequelize, 'one'), TestSession.begin(sequelize, 'two')]);
  const pids = [one.connection.processID, two.connection.processID];
  await Promise.all([one.end(), two.end()]);
  const closing = performance.now();
  await sequelize.close();
  expect(performance.now() - closing).toBeLessThan(2_000);
  await expect.poll(() => backendStates(databaseUrl, pids), { timeout: 5_000 }).toEqual([]);
});

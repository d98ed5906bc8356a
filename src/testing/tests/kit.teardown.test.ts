// Teardown must finish inside the hook timeout whatever the test left running,
// must free the file server, and must hand the next test a connection with no
// session state of the last one (advisory locks, prepared statements).
import pg from 'pg';
import { expect } from 'vitest';
import { createSequelize } from '../../db/sequelize.ts';
import { kitStorage } from '../cls.ts';
import { TESTING_SECTIONS } from '../errors.ts';
import { TestSession } from '../session.ts';
import { createSharedSessionTest, RunningTests } from '../vitest.ts';
import { connectToy, createToyApp } from './toy-app.ts';
import { inSession } from './in-session.ts';

const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});

/** How many backends with this pid are running pg_sleep, seen from a connection of its own. */
async function sleepingBackends(databaseUrl: string, pid: number | undefined): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%SELECT pg_sleep%'", [pid]);
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** The advisory lock the stuck request holds in its transaction. */
const HELD_LOCK = 4243;

/** Whether a connection of its own can take `key` at once (and then lets it go). */
async function lockIsFree(databaseUrl: string, key: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1) AS free', [key]);
    if (result.rows[0]?.free) await client.query('SELECT pg_advisory_unlock($1)', [key]);
    return result.rows[0]?.free ?? false;
  } finally {
    await client.end();
  }
}

/** A Sequelize instance of one connection, so two sessions in a row share a backend. */
function oneConnection(databaseUrl: string) {
  return createSequelize(databaseUrl, { pool: { max: 1, min: 0, idle: 10_000, acquire: 5_000 } });
}

test('when a test leaves an advisory lock and a prepared statement, then the next test on the same backend has neither', async ({ databaseUrl }) => {
  const sequelize = oneConnection(databaseUrl);
  try {
    const first = await TestSession.begin(sequelize, 'first');
    const firstPid = first.connection.processID;
    await inSession(first, async () => {
      await sequelize.query('SELECT pg_advisory_lock(4242)');
      await sequelize.query('PREPARE kit_probe AS SELECT 1');
    });
    await first.end();

    const second = await TestSession.begin(sequelize, 'second');
    try {
      expect(second.connection.processID).toBe(firstPid);
      const [state] = await inSession(second, () =>
        sequelize.query(
          `SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::int AS locks,
                  (SELECT count(*) FROM pg_prepared_statements)::int AS prepared`,
        ),
      );
      expect(state).toEqual([{ locks: 0, prepared: 0 }]);
    } finally {
      await second.end();
    }
  } finally {
    await sequelize.close();
  }
});

// The context's `expect`: Vitest's global `expect.poll` waited out the test's timeout when this file ran under --sequence.concurrent.
test('when a request holds the test transaction and never finishes, then teardown ends its connection within its bound', async ({ databaseUrl, expect }) => {
  const sequelize = oneConnection(databaseUrl);
  try {
    const session = await TestSession.begin(sequelize, 'stuck', { teardownWaitMs: 300 });
    const pid = session.connection.processID;
    // A request in flight: it holds the lock, and its statement runs for 30 s.
    const release = await session.lock.acquire();
    session.lockHolder = 'the request GET /hang';
    const asTheRequest = { values: new Map([['transaction', session.transaction]]), session, lockLease: { held: true }, request: { label: 'GET /hang' } };
    // The request took a lock its transaction holds until it ends, as a row lock would be.
    await kitStorage.run(asTheRequest, () => sequelize.query(`SELECT pg_advisory_xact_lock(${HELD_LOCK})`, { transaction: session.transaction }));
    const statement = kitStorage.run(asTheRequest, () => sequelize.query('SELECT pg_sleep(30)', { transaction: session.transaction })).catch((e: unknown) => e);
    await expect.poll(() => sleepingBackends(databaseUrl, pid), { timeout: 5_000 }).toBe(1);

    const started = Date.now();
    await session.end();

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(session.failures.map((f) => f.section)).toEqual([TESTING_SECTIONS.teardownEndedRequest]);
    expect(session.failures[0]?.message).toMatch(/^Teardown ended a request that never finished: the request GET \/hang of "stuck"/);
    expect(await statement).toBeInstanceOf(Error); // its backend was terminated mid-statement
    // Gone when end() returns, not some time later: its transaction rolled back and its lock free for the next test.
    const [rows] = await sequelize.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', { bind: [pid] });
    expect(rows).toEqual([{ n: 0 }]);
    expect(await lockIsFree(databaseUrl, HELD_LOCK)).toBe(true);
    release();
  } finally {
    await sequelize.close();
  }
});

test('when a test starts while the previous teardown still runs, then the message says so, not "test.concurrent"', () => {
  const slot = new RunningTests();
  slot.claim('first');
  const session = { id: 'id-1', testName: 'first', hasEnded: true } as unknown as TestSession;
  slot.ending(session);

  expect(() => slot.claim('second')).toThrow(/^The previous test is still tearing down: "second" started while the teardown of "first"/);
  slot.release();
  expect(() => slot.claim('third')).not.toThrow();
});

test('when a request never answers, then the test fails fast and the next test gets the file server', async ({ clientFor, server }) => {
  const client = await clientFor();
  // The client gives up after 500 ms; the handler holds the test's lock until teardown cuts it.
  const hung = await client.get('/hang', { timeout: 500 }).catch((e: unknown) => e);
  expect(hung).toBeInstanceOf(Error);
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

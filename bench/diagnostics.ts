// Small measurements of the pieces on the kit's path, to explain the overhead
// the interleaved runs find (and to spot a piece that costs more than it should):
// the database round trip, the savepoint move before a request's statement that follows a write, the session reset and the deferred check at teardown, what the
// query guard + lock + CLS add per test-body query, the lock alone, and the
// password KDF the user factory may run.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createSequelize } from '../src/db/sequelize.ts';
import { hashPassword } from '../src/app/auth/password.ts';
import { kitStorage, Mutex, TestSession } from '../src/testing/index.ts';
import { median } from './stats.ts';
import { timeOne } from './measure.ts';
import type { Strategy } from './strategies.ts';

export interface Diagnostics {
  /** `SELECT 1` on an open pg connection. */
  roundTripMs: number;
  /** `SAVEPOINT s` + `RELEASE SAVEPOINT s` on an open pg connection, as two round trips. */
  savepointPairMs: number;
  /** `RELEASE SAVEPOINT s; SAVEPOINT s` in one round trip: what the kit sends before a request's statement that follows a write. */
  statementSavepointMs: number;
  /** `BEGIN` + `ROLLBACK; SELECT pg_advisory_unlock_all(); DEALLOCATE ALL`: the kit's teardown with the session reset in the rollback's round trip. */
  beginRollbackResetMs: number;
  /** `SET CONSTRAINTS ALL IMMEDIATE` in a transaction: the deferred-constraint check, made only when the schema has DEFERRABLE constraints. */
  deferredCheckMs: number;
  /** `BEGIN` + `ROLLBACK` on an open pg connection: what each test adds. */
  beginRollbackMs: number;
  /** `sequelize.query('SELECT 1')` outside any test (CLS lookup and pass-through guard included). */
  sequelizeQueryMs: number;
  /** The same query from a test body inside a kit session: guard + lock + CLS on the shared transaction. */
  guardedQueryMs: number;
  /** `TestSession.begin` + `end` with nothing in between (pool acquire, BEGIN, lock, ROLLBACK, release). */
  sessionMs: number;
  /** One uncontended `Mutex.run` with a timeout, as the kit takes it for every test-body query, in microseconds. */
  lockMicros: number;
  /** One `hashPassword` (the app's scrypt KDF). */
  passwordHashMs: number;
  /** The workload under none with the kit's AsyncLocalStorage enabled, less disabled: Node's promise hook (median of paired differences; absent from older runs). */
  promiseHookMs?: number;
}

async function timeEach(times: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

export async function runDiagnostics(databaseUrl: string, quick: boolean): Promise<Diagnostics> {
  const n = quick ? 50 : 500;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let roundTripMs: number;
  let savepointPairMs: number;
  let beginRollbackMs: number;
  let statementSavepointMs: number;
  let beginRollbackResetMs: number;
  let deferredCheckMs: number;
  try {
    await timeEach(50, () => client.query('SELECT 1'));
    roundTripMs = median(await timeEach(n, () => client.query('SELECT 1')));
    beginRollbackMs = median(
      await timeEach(n, async () => {
        await client.query('BEGIN');
        await client.query('ROLLBACK');
      }),
    );
    beginRollbackResetMs = median(
      await timeEach(n, async () => {
        await client.query('BEGIN');
        await client.query('ROLLBACK; SELECT pg_advisory_unlock_all(); DEALLOCATE ALL');
      }),
    );
    await client.query('BEGIN');
    deferredCheckMs = median(await timeEach(n, () => client.query('SET CONSTRAINTS ALL IMMEDIATE')));
    await client.query('SAVEPOINT diag');
    statementSavepointMs = median(await timeEach(n, () => client.query('RELEASE SAVEPOINT diag; SAVEPOINT diag')));
    await client.query('RELEASE SAVEPOINT diag');
    savepointPairMs = median(
      await timeEach(n, async () => {
        await client.query('SAVEPOINT diag');
        await client.query('RELEASE SAVEPOINT diag');
      }),
    );
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }

  // The bench already called useCLS and installed the guard (both process-wide).
  const sequelize = createSequelize(databaseUrl);
  let sequelizeQueryMs: number;
  let guardedQueryMs: number;
  let sessionMs: number;
  try {
    await timeEach(50, () => sequelize.query('SELECT 1'));
    sequelizeQueryMs = median(await timeEach(n, () => sequelize.query('SELECT 1')));
    const session = await TestSession.begin(sequelize, 'diagnostics');
    try {
      guardedQueryMs = await kitStorage.run({ values: new Map<string, unknown>([['transaction', session.transaction]]), session }, async () => {
        await timeEach(50, () => sequelize.query('SELECT 1'));
        return median(await timeEach(n, () => sequelize.query('SELECT 1')));
      });
    } finally {
      await session.end();
      // Node's promise hook off again, as after every kit test (strategies.ts, leaveKitContext).
      kitStorage.disable();
    }
    sessionMs = median(
      await timeEach(n, async () => {
        // Without the deferred check, measured on its own above (the demo's schema has no DEFERRABLE constraint).
        const s = await TestSession.begin(sequelize, 'diagnostics', { checkDeferredConstraints: false });
        await s.end();
      }),
    );
  } finally {
    await sequelize.close();
  }

  const lock = new Mutex();
  const lockRuns = quick ? 2_000 : 20_000;
  const lockStart = performance.now();
  for (let i = 0; i < lockRuns; i++) await lock.run(async () => {}, { timeoutMs: 10_000 });
  const lockMicros = ((performance.now() - lockStart) / lockRuns) * 1000;

  const passwordHashMs = median(await timeEach(quick ? 3 : 10, () => hashPassword('bench-password')));

  return { roundTripMs, savepointPairMs, statementSavepointMs, beginRollbackResetMs, deferredCheckMs, beginRollbackMs, sequelizeQueryMs, guardedQueryMs, sessionMs, lockMicros, passwordHashMs };
}

/** The SQL statements one test of a strategy sends, by where they come from. */
export interface StatementCount {
  /** From the test body (fixtures/factories). */
  body: number;
  /** From request handlers (inside the kit's override when there is one), savepoints included. */
  requests: number;
  /** Outside both: the kit's BEGIN/ROLLBACK, a strategy's clean-up. */
  other: number;
  /** The statements' first words, in order, e.g. "INSERT users". */
  statements: string[];
}

/**
 * Runs one untimed test of `strategy` with Sequelize's `logging` pointed at a
 * recorder, to list every statement its Sequelize instance sends and where it
 * came from (a statement sent while the server has a request in flight belongs
 * to that request: the workload never overlaps its own requests).
 */
export async function countStatements(strategy: Strategy, counter: { next(): number }): Promise<StatementCount | undefined> {
  const sequelize = strategy.sequelize;
  if (!sequelize) return undefined;
  const result: StatementCount = { body: 0, requests: 0, other: 0, statements: [] };
  let inBody = true;
  const record = (message: string) => {
    // "Executing (default): INSERT INTO "users" ..." or "Executing (<transaction id>): ..."
    const sql = message.replace(/^Executing \([^)]*\):\s*/, '');
    const words = sql.trim().split(/\s+/);
    const verb = (words[0] ?? '').toUpperCase().replace(/;$/, '');
    const from = words.findIndex((w) => w.toUpperCase() === 'FROM');
    const table = verb === 'INSERT' ? words[2] : verb === 'UPDATE' ? words[1] : (verb === 'SELECT' || verb === 'DELETE') && from >= 0 ? words[from + 1] : undefined;
    // The kit's teardown opens the next test's transaction in the same query as its ROLLBACK.
    const label = verb === 'ROLLBACK' && /START TRANSACTION/i.test(sql) ? 'ROLLBACK + next START' : [verb, table?.replace(/[";]/g, '')].filter(Boolean).join(' ');
    result.statements.push(label);
    if (strategy.server.inFlight > 0) result.requests++;
    else if (inBody && !/^(START|BEGIN|ROLLBACK|COMMIT)$/.test(verb)) result.body++;
    else result.other++;
  };
  // One test first, untimed and unrecorded: the counted one then starts as a test of a suite
  // does, right after another (under the kit, on the connection its teardown kept).
  await strategy.runOne(counter.next(), () => {});
  const options = (sequelize as unknown as { options: { logging?: unknown } }).options;
  const previous = options.logging;
  options.logging = record;
  try {
    await strategy.runOne(counter.next(), (phase) => {
      if (phase === 'write request') inBody = false;
    });
  } finally {
    options.logging = previous;
  }
  return result;
}

/**
 * What Node's promise hook costs the workload. Once an AsyncLocalStorage has
 * been entered, Node runs a hook on every promise the process creates, until
 * the storage is disabled; a suite without the kit never pays it. Runs the
 * workload under `none` with the kit's storage enabled and disabled, in pairs
 * whose order alternates, and returns the median of the paired differences.
 */
export async function measurePromiseHook(none: Strategy, counter: { next(): number }, pairs: number): Promise<number> {
  const enabledTest = async (): Promise<number> => {
    // Entering the storage once enables it (and Node's hook) until disable().
    kitStorage.run({ values: new Map<string, unknown>() }, () => {});
    try {
      return (await timeOne(none, counter.next())).totalMs;
    } finally {
      kitStorage.disable();
    }
  };
  const disabledTest = async (): Promise<number> => (await timeOne(none, counter.next())).totalMs;
  const differences: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      const enabled = await enabledTest();
      differences.push(enabled - (await disabledTest()));
    } else {
      const disabled = await disabledTest();
      differences.push((await enabledTest()) - disabled);
    }
  }
  return median(differences);
}

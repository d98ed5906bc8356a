import type { Sequelize, Transaction } from 'sequelize';
import { clsNamespace, currentContext, kitStorage } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import type { TestSession } from './session.ts';

const INSTALLED = Symbol.for('e2e-kit.query-guard');

type QueryFn = (this: Sequelize, sql: unknown, options?: { transaction?: Transaction | null }) => Promise<unknown>;
type TransactionFn = (this: Sequelize, options?: unknown, autoCallback?: unknown) => Promise<unknown>;

/**
 * The error for a query issued by a test's code on a connection other than the test's.
 *
 * @example
 * ```ts
 * await expect(User.findAll({ transaction: null })).rejects.toThrow('A query escaped the test transaction');
 * ```
 */
export function escapedQueryError(session: TestSession, sql: unknown): SharedSessionError {
  return new SharedSessionError(
    `A query escaped the test transaction of "${session.testName}": it ran outside the test's shared transaction, ` +
      `so it would not see the test's rows and what it writes would be committed for good.\n` +
      `  query: ${describeSql(sql)}\n` +
      `Fix: do not pass \`transaction: null\` or a transaction of another Sequelize instance; let Sequelize pick ` +
      `the test transaction from CLS, or pass \`transaction: tx\`.`,
    TESTING_SECTIONS.escapedQuery,
  );
}

/**
 * The error for a query that arrives after its test's transaction was rolled back.
 *
 * @example
 * ```ts
 * throw afterEndError(session, 'SELECT 1');
 * ```
 */
export function afterEndError(session: TestSession, sql: unknown): SharedSessionError {
  return new SharedSessionError(
    `Query after the test ended: "${session.testName}" has finished and its transaction was rolled back, ` +
      `but its code is still running.\n  query: ${describeSql(sql)}\n` +
      `Fix: await every promise in the test (a forgotten await, a timer or a timed-out test keeps running after teardown).`,
    TESTING_SECTIONS.afterEnd,
  );
}

function describeSql(sql: unknown): string {
  const text = typeof sql === 'string' ? sql : typeof sql === 'object' && sql && 'query' in sql ? String(sql.query) : String(sql);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Patches the Sequelize class (once) so that, while code runs inside a test:
 *
 * - every query must use the test's transaction (or a savepoint of it); any
 *   other query is rejected with an error that names the fix;
 * - queries after the test ended are rejected instead of reaching the database;
 * - queries from the test body (not from a request) take the session lock, so
 *   they never interleave with a request's savepoint;
 * - `sequelize.transaction()`, managed or not, becomes a SAVEPOINT of the
 *   test's root transaction instead of a new connection. The root, not the
 *   current CLS transaction, is the parent: Sequelize 6 names savepoints after
 *   their parent's count, so nesting under a savepoint would reuse names.
 *
 * Outside tests (no session in the async context) nothing changes.
 *
 * @example
 * ```ts
 * installQueryGuard(sequelize); // done for you by createSharedSessionTest
 * ```
 */
export function installQueryGuard(sequelize: Sequelize): void {
  const proto = Object.getPrototypeOf(sequelize) as Record<PropertyKey, unknown> & {
    query: QueryFn;
    transaction: TransactionFn;
  };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;

  const originalQuery = proto.query;
  proto.query = function guardedQuery(this: Sequelize, sql, options) {
    const context = currentContext();
    const session = context?.session;
    if (!session) return originalQuery.call(this, sql, options);
    if (session.hasEnded) return Promise.reject(afterEndError(session, sql));
    const explicit = options?.transaction;
    const effective = explicit === undefined ? (clsNamespace.get('transaction') as Transaction | null | undefined) : explicit;
    if (!session.owns(effective)) return Promise.reject(escapedQueryError(session, sql));
    if (context.lockLease?.held) return originalQuery.call(this, sql, options);
    return session.lock.run(() => originalQuery.call(this, sql, options), {
      timeoutMs: session.lockTimeoutMs,
      onTimeout: () => lockTimeoutError(session, 'a query of the test body'),
    });
  };

  const originalTransaction = proto.transaction;
  proto.transaction = function nestedAsSavepoint(this: Sequelize, options?: unknown, autoCallback?: unknown) {
    if (typeof options === 'function') {
      autoCallback = options;
      options = undefined;
    }
    const context = currentContext();
    const session = context?.session;
    const opts = (options ?? {}) as { transaction?: Transaction | null };
    if (!session) return originalTransaction.call(this, options, autoCallback);
    if (session.hasEnded) return Promise.reject(afterEndError(session, 'START TRANSACTION'));
    if (opts.transaction === undefined) options = { ...opts, transaction: session.transaction };
    if (context.lockLease?.held || typeof autoCallback !== 'function') return originalTransaction.call(this, options, autoCallback);
    // A managed nested transaction in the test body holds the lock from its
    // SAVEPOINT to its end, so no request's savepoint can nest inside it.
    return session.lock.run(
      async () => {
        const lease = { held: true };
        try {
          return await kitStorage.run({ ...context, lockLease: lease }, () => originalTransaction.call(this, options, autoCallback));
        } finally {
          lease.held = false;
        }
      },
      { timeoutMs: session.lockTimeoutMs, onTimeout: () => lockTimeoutError(session, 'a transaction of the test body') },
    );
  };
}

/**
 * The error for a request or query that waited too long for the session lock.
 *
 * @example
 * ```ts
 * await session.lock.acquire({ timeoutMs: session.lockTimeoutMs, onTimeout: () => lockTimeoutError(session, 'GET /slow') });
 * ```
 */
export function lockTimeoutError(session: TestSession, who: string): SharedSessionError {
  return new SharedSessionError(
    `Timed out waiting for the test transaction lock: ${who} of "${session.testName}" waited ${session.lockTimeoutMs} ms ` +
      `while another request of the same test had not finished.\n` +
      `Fix: make sure every request of the test gets a response (a handler that never calls res.end holds the lock), ` +
      `or raise lockTimeoutMs for slow handlers.`,
    TESTING_SECTIONS.lockTimeout,
  );
}

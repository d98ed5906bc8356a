import type { Sequelize, Transaction } from 'sequelize';
import { clsNamespace, currentContext, kitStorage, type KitContext } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import type { TestSession, TransactionOpener } from './session.ts';
import { closeReleasesTestConnections } from './test-connections.ts';

const INSTALLED = Symbol.for('e2e-kit.query-guard');
const WIRED = Symbol.for('sequelize-shared-session.wired');

type QueryOptions = { transaction?: Transaction | null };
type QueryFn = (this: Sequelize, sql: unknown, options?: QueryOptions) => Promise<unknown>;
type TransactionFn = (this: Sequelize, options?: unknown, autoCallback?: unknown) => Promise<unknown>;

/**
 * How the app behaves in production, which decides what the kit must refuse.
 *
 * @example
 * ```ts
 * installQueryGuard(sequelize, { appUsesClsInProduction: false });
 * ```
 */
export interface QueryGuardOptions {
  /**
   * True when the production app calls `Sequelize.useCLS()` itself. Without
   * CLS (the default, and most apps), a query inside `sequelize.transaction(cb)`
   * that does not pass `{ transaction }` runs on another pooled connection,
   * outside the transaction; the kit then refuses such a query instead of
   * letting it join the transaction.
   */
  appUsesClsInProduction?: boolean;
  /**
   * Says why a query on this instance has no test context (the runner adapter
   * knows: an auto fixture, a file without the hook...). Returns undefined for the generic message.
   */
  explainMissingContext?: (sql: string) => SharedSessionError | undefined;
}

/**
 * The Sequelize instances the kit wired to a test database, and how. Kept on a
 * global symbol like the kit's storage: the prototype is patched once per
 * process, and a second copy of this module must fill the map that patch reads.
 */
const wired: WeakMap<Sequelize, QueryGuardOptions> = ((globalThis as { [WIRED]?: WeakMap<Sequelize, QueryGuardOptions> })[WIRED] ??=
  new WeakMap<Sequelize, QueryGuardOptions>());

/**
 * The SQL text of a query, for messages and checks.
 *
 * @example
 * ```ts
 * sqlText({ query: 'SELECT 1', values: [] }); // 'SELECT 1'
 * ```
 */
export function sqlText(sql: unknown): string {
  return typeof sql === 'string' ? sql : typeof sql === 'object' && sql && 'query' in sql ? String(sql.query) : String(sql);
}

function describeSql(sql: unknown): string {
  const text = sqlText(sql);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function who(context: KitContext): string {
  return context.request ? `the request ${context.request.label}` : 'the test body';
}

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

/**
 * The error for a query on a test database that runs in no test at all.
 *
 * @example
 * ```ts
 * throw outsideAnyTestError('INSERT INTO users ...');
 * ```
 */
export function outsideAnyTestError(sql: unknown): SharedSessionError {
  return new SharedSessionError(
    `Query outside any test transaction: a query reached the test database from code that runs in no test ` +
      `(a beforeAll/afterAll hook, module-level code, or a fixture set up before the test's transaction began), ` +
      `so it would be committed for good and seen by every later test.\n  query: ${describeSql(sql)}\n` +
      'Fix: create data inside the test: in its body, in a beforeEach hook, or in a fixture the test names.',
    TESTING_SECTIONS.outsideAnyTest,
  );
}

function outsideAppTransactionError(session: TestSession, context: KitContext, sql: unknown, opener: TransactionOpener): SharedSessionError {
  return new SharedSessionError(
    `A query ran outside the open app transaction: ${who(context)} of "${session.testName}" sent a query without ` +
      `\`{ transaction }\` while the transaction opened by ${opener.label} was open.\n  query: ${describeSql(sql)}\n` +
      'In production (no CLS) this query runs on another pooled connection, outside that transaction: it does not see ' +
      'its uncommitted rows, it survives its rollback, and with FOR UPDATE on a row the transaction holds, it waits ' +
      'forever. On the test\'s one connection the kit cannot reproduce that, so it refuses the query.\n' +
      'Fix: pass `{ transaction: t }` to every query inside the transaction. If the production app does call ' +
      'Sequelize.useCLS(), say so with `appUsesClsInProduction: true` in the kit wiring.',
    TESTING_SECTIONS.outsideAppTransaction,
  );
}

function secondAppTransactionError(session: TestSession, context: KitContext, opener: TransactionOpener): SharedSessionError {
  return new SharedSessionError(
    `A second app transaction opened while another was open: ${who(context)} of "${session.testName}" called ` +
      `sequelize.transaction() without \`{ transaction }\` while the one opened by ${opener.label} was open.\n` +
      'In production they are two transactions on two connections, each committed or rolled back on its own. On the ' +
      'test\'s one connection the second would be a savepoint inside the first and share its fate, so the kit refuses it.\n' +
      'Fix: finish the first transaction before opening the next, or nest on purpose with `sequelize.transaction({ transaction: t })`.',
    TESTING_SECTIONS.secondAppTransaction,
  );
}

/**
 * The error for a request or query that waited too long for the session lock.
 *
 * @example
 * ```ts
 * await session.lock.acquire({ timeoutMs: session.lockTimeoutMs, onTimeout: () => lockTimeoutError(session, 'GET /slow') });
 * ```
 */
export function lockTimeoutError(session: TestSession, waiter: string): SharedSessionError {
  return new SharedSessionError(
    `Timed out waiting for the test transaction lock: ${waiter} of "${session.testName}" waited ${session.lockTimeoutMs} ms ` +
      `while ${session.lockHolder ?? 'another request of the same test'} held it.\n` +
      `Fix: make sure every request of the test gets a response (a handler that never calls res.end holds the lock), ` +
      `do not send requests from inside a transaction of the test body, or raise lockTimeoutMs for slow handlers.`,
    TESTING_SECTIONS.lockTimeout,
  );
}

const MAY_CONTROL_TRANSACTION = /\b(?:COMMIT|END|ABORT|BEGIN|START|PREPARE|ROLLBACK)\b/i;

/**
 * Statements that would end (or start) the shared transaction. Quoted strings,
 * quoted identifiers and comments are blanked first, so a value such as
 * 'a; commit' is not mistaken for a statement. Dollar-quoted bodies (DO $$ ... $$) are not inspected.
 */
function transactionControl(sql: string): string | undefined {
  // Most statements name none of these words: skip the blanking below (it runs on every query).
  if (!MAY_CONTROL_TRANSACTION.test(sql) || sql.includes('$$')) return undefined;
  const code = sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  for (const piece of code.split(';')) {
    const statement = piece.trim();
    if (/^(COMMIT|END|ABORT|BEGIN|START\s+TRANSACTION|PREPARE\s+TRANSACTION)\b/i.test(statement)) return statement.split(/\s+/).slice(0, 2).join(' ');
    if (/^ROLLBACK\b/i.test(statement) && !/^ROLLBACK\s+TO\b/i.test(statement)) return statement.split(/\s+/).slice(0, 2).join(' ');
  }
  return undefined;
}

/** Statements Sequelize sends to open or undo a savepoint (an app transaction). */
function isSavepointControl(sql: string): boolean {
  return /^\s*(SAVEPOINT|ROLLBACK\s+TO|RELEASE)\b/i.test(sql);
}

function localSettingName(sql: string): string | undefined {
  return /^\s*SET\s+LOCAL\s+("?)([\w.]+)\1/i.exec(sql)?.[2]?.toLowerCase();
}

/**
 * Patches the Sequelize class (once) and registers `sequelize` as wired to a
 * test database. While code runs inside a test:
 *
 * - every query must use the test's transaction (or a savepoint of it);
 * - queries after the test ended are refused;
 * - COMMIT, ROLLBACK or END sent as SQL are refused before they are sent;
 * - a request's statement outside any app transaction runs as autocommit
 *   would run it (see `TestSession.runAsAutocommit`);
 * - a query without `{ transaction }` while an app transaction is open is
 *   refused: in production (no CLS) it would run on another connection;
 * - `sequelize.transaction()`, managed or not, becomes a SAVEPOINT of the
 *   test's root transaction; a managed one does not put itself in CLS unless
 *   the production app uses CLS too;
 * - queries from the test body (not from a request) take the session lock.
 *
 * A query on a wired instance with no test context at all is refused: it would commit.
 * Other instances outside tests are not touched.
 *
 * @example
 * ```ts
 * installQueryGuard(sequelize); // done for you by createSharedSessionTest
 * ```
 */
export function installQueryGuard(sequelize: Sequelize, options: QueryGuardOptions = {}): void {
  wired.set(sequelize, options);
  // Before anyone keeps a reference to `close` (the kit's FileKit does).
  closeReleasesTestConnections(sequelize);
  const proto = Object.getPrototypeOf(sequelize) as Record<PropertyKey, unknown> & {
    query: QueryFn;
    transaction: TransactionFn;
  };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;

  const originalQuery = proto.query;
  proto.query = function guardedQuery(this: Sequelize, sql, options) {
    const context = currentContext();
    if (!context) {
      const wiring = wired.get(this);
      if (!wiring) return originalQuery.call(this, sql, options);
      return Promise.reject(wiring.explainMissingContext?.(sqlText(sql)) ?? outsideAnyTestError(sql));
    }
    const session = context.session;
    if (!session) return originalQuery.call(this, sql, options);
    if (session.hasEnded) return Promise.reject(afterEndError(session, sql));
    const text = sqlText(sql);
    const control = transactionControl(text);
    if (control) return Promise.reject(session.transactionControlError(control, who(context)));
    const explicit = options?.transaction;
    const effective = explicit === undefined ? (clsNamespace.get('transaction') as Transaction | null | undefined) : explicit;
    if (!session.owns(effective)) return Promise.reject(escapedQueryError(session, sql));

    if (/\bDEFERRABLE\b/i.test(text)) session.noteDeferrableConstraints();
    const onRoot = session.isRoot(effective);
    if (onRoot && !isSavepointControl(text)) {
      const open = session.firstOpenAppTransaction();
      if (open) return Promise.reject(outsideAppTransactionError(session, context, sql, open[1]));
    }
    const send = async () => {
      const setting = onRoot ? undefined : localSettingName(text);
      if (setting && effective) await session.rememberLocalSetting(effective, setting);
      return originalQuery.call(this, sql, options);
    };
    let run = send;
    if (onRoot && !isSavepointControl(text)) {
      run = context.request
        ? () => session.runAsAutocommit(text, send)
        : async () => {
            const result = await send();
            session.noteBodyStatement(text);
            return result;
          };
    }
    if (context.lockLease?.held) return run();
    return session.lock.run(run, {
      timeoutMs: session.lockTimeoutMs,
      onTimeout: () => lockTimeoutError(session, context.request ? `late work of ${context.request.label}` : 'a query of the test body'),
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
    if (!context || !session) return originalTransaction.call(this, options, autoCallback);
    if (session.hasEnded) return Promise.reject(afterEndError(session, 'START TRANSACTION'));
    const opts = (options ?? {}) as { transaction?: Transaction | null };
    if (opts.transaction === undefined) {
      const open = session.firstOpenAppTransaction();
      if (open) return Promise.reject(secondAppTransactionError(session, context, open[1]));
      options = { ...opts, transaction: session.transaction };
    }
    const opener: TransactionOpener = { label: context.request?.label ?? 'the test body', request: context.request };
    const appUsesCls = wired.get(this)?.appUsesClsInProduction ?? false;

    const begin = async (): Promise<Transaction> => {
      const transaction = (await originalTransaction.call(this, options)) as Transaction;
      session.trackAppTransaction(transaction, opener);
      for (const outcome of ['commit', 'rollback'] as const) {
        const original = transaction[outcome].bind(transaction);
        Object.defineProperty(transaction, outcome, {
          configurable: true,
          value: async () => {
            try {
              await original();
            } finally {
              await session.forgetAppTransaction(transaction, outcome);
            }
          },
        });
      }
      return transaction;
    };
    if (typeof autoCallback !== 'function') return begin();

    // A managed transaction, run here rather than by Sequelize so that it puts
    // itself in CLS only when the production app has CLS too.
    const callback = autoCallback as (t: Transaction) => Promise<unknown>;
    const managed = async () => {
      const transaction = await begin();
      let result: unknown;
      try {
        result = appUsesCls
          ? await clsNamespace.run(() => {
              clsNamespace.set('transaction', transaction);
              return callback(transaction);
            })
          : await callback(transaction);
      } catch (error) {
        await transaction.rollback().catch(() => {});
        throw error;
      }
      await transaction.commit();
      return result;
    };
    if (context.lockLease?.held) return managed();
    // A managed transaction of the test body holds the lock from its SAVEPOINT
    // to its end, so no request can run inside it.
    return session.lock.run(
      async () => {
        const lease = { held: true };
        session.lockHolder = 'a transaction of the test body';
        try {
          return await kitStorage.run({ ...context, lockLease: lease, inBodyTransaction: true }, managed);
        } finally {
          lease.held = false;
          session.lockHolder = undefined;
        }
      },
      { timeoutMs: session.lockTimeoutMs, onTimeout: () => lockTimeoutError(session, 'a transaction of the test body') },
    );
  };
}

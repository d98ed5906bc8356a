import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Sequelize, Transaction } from 'sequelize';
import { Mutex } from './lock.ts';
import { outsideAnyTest } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { canKeepConnection, keepConnection, openTestTransaction, trackRollback } from './test-connections.ts';

/** Sequelize 6 keeps these on every Transaction without typing them. */
interface TransactionInternals {
  id: string;
  parent?: Transaction;
  finished?: 'commit' | 'rollback';
  sequelize: Sequelize;
  connection?: RawConnection;
}

/**
 * The pg `Client` under a Sequelize transaction: the kit's own statements go to it directly.
 *
 * @example
 * ```ts
 * await session.connection.query('SAVEPOINT kit_statement');
 * ```
 */
export interface RawConnection {
  /** Sends one simple-protocol query (several statements may be separated by `;`). */
  query(sql: string): Promise<unknown>;
  /** The backend's pid (pg keeps it from BackendKeyData). */
  processID?: number;
  /** The id of the Sequelize transaction that holds the connection (Sequelize's own field). */
  uuid?: string;
  /** Set by Sequelize when the connection failed; the pool then destroys it. */
  _invalid?: boolean;
  /** How pg connected, reused to end a stuck backend from a connection of its own. */
  connectionParameters?: {
    /** Role name. */
    user?: string;
    /** Password, if any. */
    password?: string | null;
    /** Server host. */
    host?: string;
    /** Server port. */
    port?: number;
    /** Database name. */
    database?: string | null;
  };
}

function internals(transaction: Transaction): TransactionInternals {
  return transaction as unknown as TransactionInternals;
}

/**
 * How long a request or a query of the test body waits for the session lock by default.
 *
 * @example
 * ```ts
 * createSharedSessionTest({ ...wiring, lockTimeoutMs: 3 * DEFAULT_LOCK_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/**
 * How long teardown waits for a request still in flight, and then for the
 * rollback, before it ends the test's connection instead. Twice this stays
 * well inside Vitest's default hook timeout (10 s), so a hung request never
 * makes teardown outlive its hook and spill into the next test.
 *
 * @example
 * ```ts
 * const session = await TestSession.begin(sequelize, 'my test', { teardownWaitMs: DEFAULT_TEARDOWN_WAIT_MS / 2 });
 * ```
 */
export const DEFAULT_TEARDOWN_WAIT_MS = 2_000;

/**
 * Who opened an app transaction inside a test: a request (`POST /x`) or the test body.
 *
 * @example
 * ```ts
 * const opener: TransactionOpener = { label: 'POST /tournaments', request: {} };
 * ```
 */
export interface TransactionOpener {
  /** `METHOD /url` of the request, or `the test body`. */
  readonly label: string;
  /** Identity of the request that opened it; absent for the test body. */
  readonly request?: object;
}

/**
 * An app transaction (managed or not) that the kit turned into a savepoint of
 * the test's transaction, while it is open.
 *
 * @example
 * ```ts
 * const open: OpenAppTransaction | undefined = session.appTransactionOf(transaction);
 * ```
 */
export interface OpenAppTransaction {
  /** Who opened it. */
  readonly opener: TransactionOpener;
  /** Settings changed with SET LOCAL inside it, and their value before, restored when it commits. */
  readonly localSettings: Map<string, string | null>;
}

/**
 * Options of {@link TestSession.begin}.
 *
 * @example
 * ```ts
 * const options: TestSessionOptions = { lockTimeoutMs: 5_000, teardownWaitMs: 1_000 };
 * ```
 */
export interface TestSessionOptions {
  /** How long to wait for `lock` before failing with a clear error. Default {@link DEFAULT_LOCK_TIMEOUT_MS}. */
  lockTimeoutMs?: number;
  /** See {@link DEFAULT_TEARDOWN_WAIT_MS}. */
  teardownWaitMs?: number;
  /** Whether the schema has DEFERRABLE constraints, so teardown must check them (one round trip). Default true. */
  checkDeferredConstraints?: boolean;
}

type PgCallback = (error: Error | null, result?: unknown) => void;
type PgQuery = (...args: unknown[]) => unknown;

/** The savepoint that stands in for autocommit: see {@link TestSession.runAsAutocommit}. */
const STATEMENT_SAVEPOINT = 'kit_statement';

/**
 * A statement that certainly writes nothing, so the savepoint before it can be
 * reused for the next one (one round trip saved per read). A SELECT that calls
 * a function which writes is the documented exception.
 */
function isPlainRead(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql) && !/\bINTO\b/i.test(sql);
}

/**
 * One test's shared transaction and what guards it: the lock that serialises
 * requests, the app transactions open in it, the failures found on the way,
 * and the state that tells late queries the test is over.
 * The kit begins one per test and ends it after the test.
 *
 * @example
 * ```ts
 * const session = await TestSession.begin(sequelize, 'my test');
 * try { await runTheTest(session.transaction); } finally { await session.end(); }
 * ```
 */
export class TestSession {
  /** The root, unmanaged transaction every query of the test runs in. */
  readonly transaction: Transaction;
  /** Serialises the requests (and test-body queries) that share the transaction. */
  readonly lock = new Mutex();
  /** Serialises the autocommit statements of one request that run at the same time (`Promise.all`). */
  readonly statementLock = new Mutex();
  /** A random id; the kit's HTTP clients send it, so each request reaches its own test. */
  readonly id = randomUUID();
  /** The test's name, used in error messages. */
  readonly testName: string;
  /** How long to wait for `lock` before failing with a clear error. */
  readonly lockTimeoutMs: number;
  /** What holds the lock now, for error messages (`POST /x`, `a transaction of the test body`). */
  lockHolder: string | undefined;
  /**
   * Problems found while the test ran that production would have shown
   * (an unfinished transaction, a deferred constraint): the kit fails the
   * test with them after its body, in this order.
   */
  readonly failures: SharedSessionError[] = [];
  private readonly openTransactions = new Map<Transaction, OpenAppTransaction>();
  private readonly teardownWaitMs: number;
  private checkDeferred: boolean;
  private ended = false;
  private scopeCounter = 0;
  /** none: no statement savepoint yet; clean: it marks the current state; dirty: writes happened since. */
  private statementSavepoint: 'none' | 'clean' | 'dirty' = 'none';
  /**
   * The savepoint statements to send in front of the next statement of the
   * test's connection (see {@link TestSession.runAsAutocommit}); cleared when sent.
   */
  private pendingPrefix: string | undefined;
  /**
   * What the test's statements wait for: its START TRANSACTION in flight and
   * the rollbacks of earlier tests still in flight (see test-connections.ts).
   * Cleared once they are done; if START TRANSACTION failed, it stays, and
   * every statement fails with its error.
   */
  private beginning: Promise<void> | undefined;
  /** Whether teardown may open the next test's transaction on this connection (see test-connections.ts). */
  private reusable = false;
  /** Gives the test's connection its own `query` back, before it returns to the pool. */
  private restoreQuery: (() => void) | undefined;

  private constructor(transaction: Transaction, testName: string, options: TestSessionOptions) {
    this.transaction = transaction;
    this.testName = testName;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.teardownWaitMs = options.teardownWaitMs ?? DEFAULT_TEARDOWN_WAIT_MS;
    this.checkDeferred = options.checkDeferredConstraints ?? true;
  }

  /**
   * Opens the test's transaction on a connection of its own (the one the
   * previous teardown kept, when it is fresh: see test-connections.ts). Its
   * `commit()` and `rollback()` refuse: only the kit ends it, by rolling it back.
   * `sequelize.close()` gives that kept connection back first; code that
   * drives sessions itself and then inspects the database through a
   * connection of its own calls `releaseTestConnections(sequelize)` before.
   */
  static async begin(sequelize: Sequelize, testName: string, options: TestSessionOptions | number = {}): Promise<TestSession> {
    const resolved = typeof options === 'number' ? { lockTimeoutMs: options } : options;
    const { transaction, ready, reusable } = await outsideAnyTest(() => openTestTransaction(sequelize));
    const session = new TestSession(transaction, testName, resolved);
    session.reusable = reusable;
    session.holdStatementsUntil(ready);
    session.sendPrefixWithNextStatement();
    for (const method of ['commit', 'rollback'] as const) {
      Object.defineProperty(transaction, method, {
        configurable: true,
        value: () => Promise.reject(session.transactionControlError(`tx.${method}()`, 'the test body')),
      });
    }
    return session;
  }

  private holdStatementsUntil(ready: Promise<unknown>): void {
    const beginning = ready.then(() => {
      if (this.beginning === beginning) this.beginning = undefined;
    });
    beginning.catch(() => {}); // seen by the statements that wait for it
    this.beginning = beginning;
  }

  /** The Sequelize instance the transaction belongs to. */
  get sequelize(): Sequelize {
    return internals(this.transaction).sequelize;
  }

  /** The pg client the test's transaction runs on. */
  get connection(): RawConnection {
    const connection = internals(this.transaction).connection;
    if (!connection) throw new Error('The test transaction has no connection');
    return connection;
  }

  /**
   * Sends one of the kit's own statements on the test's connection (not through
   * Sequelize's query path), logged where Sequelize logs, if it does (`logging`).
   */
  private send(sql: string): Promise<unknown> {
    const logging = (this.sequelize as unknown as { options: { logging?: unknown } }).options.logging;
    if (typeof logging === 'function') (logging as (message: string) => void)(`Executing (kit): ${sql}`);
    return this.connection.query(sql);
  }

  /** True once teardown has started: from then on every query of the test is refused. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** True when `transaction` is this test's transaction or one of its savepoints. */
  owns(transaction: Transaction | null | undefined): boolean {
    if (!transaction) return false;
    return internals(transaction).id === internals(this.transaction).id;
  }

  /** True when `transaction` is the test's root transaction itself (not an app savepoint). */
  isRoot(transaction: Transaction | null | undefined): boolean {
    return transaction === this.transaction;
  }

  /** The error for COMMIT, ROLLBACK or END sent inside the test, which would end the shared transaction. */
  transactionControlError(statement: string, who: string): SharedSessionError {
    return new SharedSessionError(
      `Transaction control refused: ${who} of "${this.testName}" sent ${statement}, which would end or replace the test's shared ` +
        `transaction: its rows would be committed for good, and every later statement of the test would run outside it.\n` +
        'Nothing was sent to the database.\n' +
        'Fix: let the kit end the test transaction (it rolls back after the test). In app code, use ' +
        '`sequelize.transaction()` (the kit turns it into a savepoint) instead of COMMIT or ROLLBACK as SQL.',
      TESTING_SECTIONS.transactionControl,
    );
  }

  // --- app transactions (savepoints of the test's transaction) ---------------------------

  /** Records an app transaction the kit opened as a savepoint; `forget` it when it ends. */
  trackAppTransaction(transaction: Transaction, opener: TransactionOpener): void {
    this.openTransactions.set(transaction, { opener, localSettings: new Map() });
  }

  /** The open app transaction `transaction` is, or belongs to (a savepoint of it). */
  appTransactionOf(transaction: Transaction): OpenAppTransaction | undefined {
    for (let t: Transaction | undefined = transaction; t; t = internals(t).parent) {
      const open = this.openTransactions.get(t);
      if (open) return open;
    }
    return undefined;
  }

  /** The oldest app transaction open now and who opened it, if any (no array built: it is asked on every statement). */
  firstOpenAppTransaction(): [Transaction, TransactionOpener] | undefined {
    if (this.openTransactions.size === 0) return undefined;
    const [first] = this.openTransactions;
    return first && [first[0], first[1].opener];
  }

  /** True when `request` opened an app transaction that is still open. */
  hasOpenAppTransactionOf(request: object): boolean {
    for (const open of this.openTransactions.values()) if (open.opener.request === request) return true;
    return false;
  }

  /** The app transactions open now, oldest first. */
  get openAppTransactions(): [Transaction, TransactionOpener][] {
    return [...this.openTransactions].map(([t, open]) => [t, open.opener]);
  }

  /**
   * Ends the bookkeeping of an app transaction. On commit, the settings it
   * changed with SET LOCAL get back their value from before, as they would
   * when a real transaction commits (a savepoint's RELEASE keeps them).
   */
  async forgetAppTransaction(transaction: Transaction, outcome: 'commit' | 'rollback'): Promise<void> {
    const open = this.openTransactions.get(transaction);
    this.openTransactions.delete(transaction);
    if (outcome !== 'commit') return;
    if (this.statementSavepoint === 'clean') this.statementSavepoint = 'dirty';
    for (const [name, before] of open?.localSettings ?? []) {
      await this.send(`SELECT set_config('${name.replaceAll("'", "''")}', ${before === null ? "''" : `'${before.replaceAll("'", "''")}'`}, true)`);
    }
  }

  /** Remembers a setting's value before a SET LOCAL inside an app transaction changes it. */
  async rememberLocalSetting(transaction: Transaction, name: string): Promise<void> {
    const open = this.appTransactionOf(transaction);
    if (!open || open.localSettings.has(name)) return;
    const result = (await this.send(`SELECT current_setting('${name.replaceAll("'", "''")}', true) AS value`)) as {
      rows: { value: string | null }[];
    };
    open.localSettings.set(name, result.rows[0]?.value ?? null);
  }

  // --- autocommit statements ------------------------------------------------------------

  /**
   * Runs a statement as production would run it outside any transaction: on
   * its own. In production each such statement commits by itself, so a write
   * stays even if the request then fails, and a failing statement undoes only
   * itself. Here a savepoint stands before the statement; on failure the kit
   * rolls back to it, which undoes exactly that statement and leaves the test's
   * transaction usable (no 25P02). The savepoint is moved only after a write,
   * so a run of reads costs no extra round trip.
   *
   * `SET LOCAL` outside a transaction has no effect in production (PostgreSQL
   * only warns), so it is undone here too.
   */
  async runAsAutocommit<T>(sql: string, run: () => Promise<T>): Promise<T> {
    const release = this.statementLock.tryAcquire() ?? (await this.statementLock.acquire());
    try {
      // The savepoint rides in front of the statement itself (one round trip,
      // see sendPrefixWithNextStatement) instead of a round trip of its own.
      const before = this.statementSavepoint;
      if (before === 'none') this.pendingPrefix = `SAVEPOINT ${STATEMENT_SAVEPOINT}`;
      else if (before === 'dirty') this.pendingPrefix = `RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}; SAVEPOINT ${STATEMENT_SAVEPOINT}`;
      let result: T;
      try {
        result = await run();
      } catch (error) {
        // Roll back to the savepoint only if it was set for this statement: an
        // older one (state dirty) would also undo the writes since.
        // A failed rollback (the prefix itself failed: the transaction was aborted already) must not hide the error.
        if (this.pendingPrefix === undefined || before === 'clean') await this.send(`ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}`).catch(() => {});
        this.statementSavepoint = this.pendingPrefix === undefined ? 'clean' : before;
        this.pendingPrefix = undefined;
        throw error;
      }
      if (this.pendingPrefix !== undefined) {
        // Nothing reached the connection (Sequelize answered without the database).
        this.pendingPrefix = undefined;
        return result;
      }
      this.statementSavepoint = 'clean';
      if (/^\s*SET\s+LOCAL\b/i.test(sql)) await this.send(`ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}`);
      else if (!isPlainRead(sql)) this.statementSavepoint = 'dirty';
      return result;
    } finally {
      release();
    }
  }

  /**
   * Wraps the test connection's `query` (its own property, removed when the
   * connection goes back to the pool) so that a pending savepoint prefix goes
   * out with the next statement: in the same simple-protocol query when the
   * statement has no bind parameters (its result is stripped of the prefix's,
   * and an error position is shifted back), just before it otherwise.
   */
  private sendPrefixWithNextStatement(): void {
    const connection = this.connection as unknown as Record<string, unknown> & { query: PgQuery };
    // An own `query` (instrumentation) stays in the chain and comes back afterwards.
    const own = Object.getOwnPropertyDescriptor(connection, 'query');
    const original = connection.query;
    this.restoreQuery = () => {
      if (own) Object.defineProperty(connection, 'query', own);
      else Reflect.deleteProperty(connection, 'query');
    };
    const logging = (this.sequelize as unknown as { options: { logging?: unknown } }).options.logging;
    connection.query = (...args: unknown[]): unknown => {
      const [text, second, third] = args;
      const callback = (typeof second === 'function' ? second : third) as PgCallback | undefined;
      const beginning = this.beginning;
      if (beginning) {
        // Once the transaction has begun, through this wrapper again (prefixes included).
        const again = () => connection.query(...args);
        if (typeof callback !== 'function') return beginning.then(again);
        beginning.then(again, (error: Error) => callback(error));
        return undefined;
      }
      const prefix = this.pendingPrefix;
      if (prefix === undefined || typeof text !== 'string' || typeof callback !== 'function') return original.apply(connection, args);
      this.pendingPrefix = undefined;
      if (typeof logging === 'function') (logging as (message: string) => void)(`Executing (kit): ${prefix}`);
      const values = typeof second === 'function' ? undefined : second;
      if (Array.isArray(values) && values.length > 0) {
        return original.call(connection, prefix, (error: Error | null) => (error ? callback(error) : original.call(connection, text, values, callback)));
      }
      const shift = prefix.length + 2;
      const prefixResults = prefix.split(';').length;
      return original.call(connection, `${prefix}; ${text}`, (error: (Error & { position?: string }) | null, result: unknown) => {
        if (error) {
          if (error.position && Number(error.position) > shift) error.position = String(Number(error.position) - shift);
          return callback(error);
        }
        if (!Array.isArray(result)) return callback(null, result); // an empty statement: only the prefix answered
        const rest = result.slice(prefixResults);
        return callback(null, rest.length === 1 ? rest[0] : rest);
      });
    };
  }

  /** A statement created a DEFERRABLE constraint inside the test: teardown must check it, whatever the schema had. */
  noteDeferrableConstraints(): void {
    this.checkDeferred = true;
  }

  /** A statement of the test body ran on the root transaction: the statement savepoint no longer marks the current state. */
  noteBodyStatement(sql: string): void {
    if (this.statementSavepoint === 'clean' && !isPlainRead(sql)) this.statementSavepoint = 'dirty';
  }

  // --- nested scopes --------------------------------------------------------------------

  /**
   * Runs `body` in a savepoint of the test's transaction and rolls back to it
   * afterwards: a test-scoped test (or a nested suite-scoped block) inside a
   * suite-scoped block. Failures recorded while it ran are thrown for it.
   */
  async inSavepoint<T>(body: () => Promise<T>): Promise<T> {
    const name = `kit_scope_${++this.scopeCounter}`;
    const failuresBefore = this.failures.length;
    const lockOptions = { timeoutMs: this.lockTimeoutMs };
    await this.lock.run(async () => {
      await this.send(`SAVEPOINT ${name}`);
      // A later RELEASE of an older statement savepoint would release this one too: start a new one inside.
      this.statementSavepoint = 'none';
    }, lockOptions);
    let result: T;
    try {
      result = await body();
    } finally {
      if (!this.ended) {
        await this.lock.run(async () => {
          await this.send(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
          this.statementSavepoint = 'none';
        }, lockOptions);
      }
    }
    const [failure] = this.failures.splice(failuresBefore);
    if (failure) throw failure;
    return result;
  }

  // --- teardown -------------------------------------------------------------------------

  /**
   * Ends the test: refuses further queries, waits (bounded) for the request in
   * flight, checks deferred constraints as COMMIT would, then rolls the whole
   * transaction back and resets what a rollback does not (session advisory
   * locks, prepared statements), in one round trip. If a request never
   * finishes, its connection is terminated instead: nothing it did is
   * committed, and teardown stays inside the hook timeout.
   */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    let release: (() => void) | undefined;
    try {
      release = await this.lock.acquire({ timeoutMs: this.teardownWaitMs });
    } catch {
      // A request is stuck (or a handler never answered): end its connection below.
    }
    try {
      if (internals(this.transaction).finished) return;
      if (!release) {
        this.failures.push(this.stuckRequestError());
        await this.terminate();
        return;
      }
      if (this.checkDeferred) await this.checkDeferredConstraints();
      // Teardown does not wait for the ROLLBACK's answer: the next test's first
      // statement does, and so does closing the instance (releaseTestConnections).
      // The first such connection stays with the kit, the next test's transaction
      // already open on it (see test-connections.ts).
      internals(this.transaction).finished = 'rollback';
      const sequelize = this.sequelize;
      const keep = this.reusable && canKeepConnection(sequelize);
      const done = this.rollbackAndReset(keep);
      trackRollback(sequelize, done);
      if (keep) keepConnection(sequelize, this.connection, done.then((ok) => (ok ? performance.now() : undefined)));
    } finally {
      release?.();
    }
  }

  private stuckRequestError(): SharedSessionError {
    return new SharedSessionError(
      `Teardown ended a request that never finished: ${this.lockHolder ?? 'a request'} of "${this.testName}" still held the test's ` +
        `transaction ${this.teardownWaitMs} ms after the test ended, so the kit closed its database connection (nothing was committed).\n` +
        'Fix: make every handler answer (a missing res.end or next()), and await every request in the test.',
      TESTING_SECTIONS.teardownEndedRequest,
    );
  }

  /** `SET CONSTRAINTS ALL IMMEDIATE` fails now if COMMIT would have failed in production. */
  private async checkDeferredConstraints(): Promise<void> {
    try {
      await this.send('SET CONSTRAINTS ALL IMMEDIATE');
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      // 25P02: the transaction is already aborted; the test has failed for that reason.
      if (!code.startsWith('23')) return;
      this.failures.push(
        new SharedSessionError(
          `A deferred constraint would fail at COMMIT in "${this.testName}": ${(error as Error).message}. ` +
            'In production the COMMIT of this data fails; the test transaction never commits, so the kit checked the ' +
            'DEFERRABLE constraints with SET CONSTRAINTS ALL IMMEDIATE before rolling back.\n' +
            'Fix: make the data satisfy the constraint before the transaction ends.',
          TESTING_SECTIONS.deferredConstraint,
        ),
      );
    }
  }

  /**
   * Rolls back and resets what a rollback does not (session advisory locks,
   * prepared statements), in one round trip; with `keep`, the same round trip
   * opens the next test's transaction and the connection stays out of the pool.
   * Resolves false when the connection had to be ended instead.
   */
  private async rollbackAndReset(keep: boolean): Promise<boolean> {
    const reset = 'ROLLBACK; SELECT pg_advisory_unlock_all(); DEALLOCATE ALL';
    const finished = this.withTimeout(this.send(keep ? `${reset}; START TRANSACTION` : reset), this.teardownWaitMs);
    try {
      await finished;
    } catch {
      await this.terminate();
      return false;
    }
    this.markFinished(keep ? 'keep' : 'release');
    return true;
  }

  private withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Ends the test's backend from another connection: PostgreSQL rolls its transaction back. */
  private async terminate(): Promise<void> {
    const pid = this.connection.processID;
    this.connection._invalid = true;
    // A connection of its own, not the app's pool: the pool may have no other connection to give.
    const params = this.connection.connectionParameters;
    if (pid && params) {
      const admin = new pg.Client({ user: params.user, password: params.password ?? undefined, host: params.host, port: params.port, database: params.database ?? undefined });
      await this.withTimeout(
        (async () => {
          await admin.connect();
          // With a timeout, pg_terminate_backend returns once the backend has exited, not when the signal
          // is sent: teardown then ends with the transaction rolled back and its locks released, so the
          // next test cannot meet them. Without the timeout the backend was still listed in 1 to 4 of 100 tries.
          await admin.query('SELECT pg_terminate_backend($1, $2)', [pid, this.teardownWaitMs]).catch(async (error: { code?: string }) => {
            if (error.code !== '42883') throw error;
            await admin.query('SELECT pg_terminate_backend($1)', [pid]); // PostgreSQL 13 and older: no timeout argument
          });
        })(),
        this.teardownWaitMs,
      ).catch(() => {});
      await admin.end().catch(() => {});
    }
    this.markFinished('destroy');
  }

  private markFinished(connectionGoes: 'release' | 'keep' | 'destroy'): void {
    const transaction = internals(this.transaction);
    transaction.finished = 'rollback';
    const connection = this.connection;
    const manager = this.sequelize.connectionManager as unknown as {
      releaseConnection(c: unknown): void;
      destroyConnection(c: unknown): Promise<void>;
    };
    connection.uuid = undefined;
    this.restoreQuery?.(); // see sendPrefixWithNextStatement
    this.pendingPrefix = undefined;
    if (connectionGoes === 'destroy') void manager.destroyConnection(connection).catch(() => {});
    else if (connectionGoes === 'release') manager.releaseConnection(connection);
  }
}

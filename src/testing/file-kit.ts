import type { RequestListener } from 'node:http';
import type { Sequelize, Transaction } from 'sequelize';
import type { AxiosInstance } from 'axios';
import pg from 'pg';
import { clsNamespace, currentContext, kitStorage, outsideAnyTest, type KitContext } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { installQueryGuard } from './query-guard.ts';
import { createRequestOverride, TEST_ID_HEADER, type RequestOverride } from './request-override.ts';
import { RunningTests } from './running-tests.ts';
import type { Queryable } from './schema-fingerprint.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, TestSession } from './session.ts';
import { releaseTestConnections } from './test-connections.ts';
import { createTestClient, startTestServer, type TestServer } from './test-server.ts';

/**
 * The three things the kit needs from an app, passed in rather than imported,
 * so the kit stays app-agnostic; the same wiring serves every runner adapter.
 *
 * @typeParam AppContext - what `connect` returns: at least the app's `sequelize`.
 * @typeParam Role - the roles `clientFor(role)` accepts.
 *
 * @example
 * ```ts
 * const wiring: SharedSessionWiring<{ sequelize: Sequelize }, 'admin' | 'user'> = {
 *   connect: (url) => ({ sequelize: new Sequelize(url) }),
 *   createApp: ({ sequelize }, requestOverride) => createApp({ sequelize, testRequestOverride: requestOverride }),
 *   signIn: async (_app, role) => ({ authorization: `Bearer ${await tokenForNewUser(role)}` }),
 * };
 * ```
 */
export interface SharedSessionWiring<AppContext extends { sequelize: Sequelize }, Role extends string> {
  /** Builds the app's database layer (Sequelize instance, models...) for one database URL. Called once per FileKit: per test file, or per worker with Vitest (which reuses it for the worker's files). */
  connect(databaseUrl: string): AppContext | Promise<AppContext>;
  /** Builds the app for tests, with `requestOverride` mounted as its first middleware. */
  createApp(app: AppContext, requestOverride: RequestOverride): RequestListener;
  /**
   * Creates a fresh user of `role` and returns the headers that authenticate
   * as them (a real session token). Runs inside the test's transaction.
   */
  signIn(app: AppContext, role: Role): Promise<Record<string, string>>;
  /** Tables the per-file leak check ignores. Default `['SequelizeMeta']`. */
  referenceTables?: string[];
  /** How long a request waits for another request of the same test. Default 10 s. */
  lockTimeoutMs?: number;
  /** How long teardown waits for a request still running before it ends its connection. Default 2 s. */
  teardownWaitMs?: number;
  /**
   * True when the production app calls `Sequelize.useCLS()` itself. Default
   * false (most apps): a query inside an app transaction that does not pass
   * `{ transaction }` is then refused, since production runs it on another connection.
   */
  appUsesClsInProduction?: boolean;
}

/**
 * The test's transaction as the kit hands it out: a Sequelize `Transaction`
 * plus the two fields Sequelize 6 has but does not type.
 *
 * @example
 * ```ts
 * const [rows] = await tx.sequelize.query('SELECT count(*) FROM users', { transaction: tx });
 * ```
 */
export type SharedTransaction = Transaction & {
  /** The app's Sequelize instance. */
  readonly sequelize: Sequelize;
  /** Shared by the transaction and all its savepoints. */
  readonly id: string;
};

/**
 * The error for kit code asked for the test's transaction outside a kit test.
 *
 * @example
 * ```ts
 * throw noContextError('Fix: import `test` from your fixtures module in this file.');
 * ```
 */
export function noContextError(fix: string): SharedSessionError {
  return new SharedSessionError(
    'No shared-session context: this code is not running inside a kit test, so its queries could not be routed to ' +
      `the test transaction.\n${fix}`,
    TESTING_SECTIONS.noContext,
  );
}

/**
 * How a runner adapter describes a test it runs.
 *
 * @example
 * ```ts
 * await kit.runTest(task.name, runTest, { concurrent: task.concurrent === true, owner: task });
 * ```
 */
export interface TestRunOptions {
  /** True when the runner runs this test beside others (each then has its own transaction). */
  concurrent?: boolean;
  /** The runner's task object, so a second hook for the same task can tell it is already running. */
  owner?: object;
}

/**
 * A test begun by {@link FileKit.startTest}.
 *
 * @example
 * ```ts
 * const started = await kit.startTest('my test');
 * try { await started.run(() => body()); } finally { await started.finish(); }
 * ```
 */
export interface StartedTest {
  /** The test's session: its transaction, lock and recorded failures. */
  readonly session: TestSession;
  /** Runs `fn` inside the test's async context (CLS carries its transaction). */
  run<T>(fn: () => T): T;
  /** Ends the test (bounded rollback); throws what production would have shown. Idempotent. */
  finish(): Promise<void>;
}

/**
 * What a runner adapter adds to the core's behaviour.
 *
 * @example
 * ```ts
 * const options: FileKitOptions = { noContextFix: 'Fix: wrap the test with kitTest() from the node:test adapter.' };
 * ```
 */
export interface FileKitOptions {
  /** Says why a query on the app's instance has no test context, in the runner's terms. */
  explainMissingContext?: (sql: string) => SharedSessionError | undefined;
  /** The "Fix: ..." line of the "No shared-session context" error, in the runner's terms. */
  noContextFix?: string;
  /** Whether teardown checks DEFERRABLE constraints; default: asked of the schema once. */
  checkDeferredConstraints?: boolean;
}

/**
 * The error for a test that would run on the app's Sequelize instance after
 * test code closed it.
 *
 * @example
 * ```ts
 * throw appClosedError('src/e2e/users.test.ts:40:19');
 * ```
 */
function appClosedError(closedAt: string): SharedSessionError {
  return new SharedSessionError(
    `The app's Sequelize instance was closed by test code (sequelize.close() at ${closedAt}), and this test would run on it. ` +
      'The kit builds the app once and shares it with the files after the one that closed it: once per worker with Vitest, ' +
      'once per run with Mocha.\nFix: remove sequelize.close() from test files and their hooks; the kit closes the instance ' +
      'it built when it is done with it. With Vitest, isolate: true also gives each file an instance of its own.',
    TESTING_SECTIONS.appClosed,
  );
}

/** The first stack frame outside node_modules that called `fn`, relative to the working directory. */
function callerOf(fn: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  // "at fn (file:line:column)" or "at file:line:column": the location only.
  const frames = (holder.stack ?? '').split('\n').slice(1).map((line) => line.trim().replace(/^at (?:.* \((.*)\)|(.*))$/, '$1$2'));
  const frame = frames.find((line) => !line.includes('node_modules')) ?? frames[0] ?? 'an unknown place';
  return frame.replaceAll(`${process.cwd()}/`, '').replaceAll('file://', '');
}

/**
 * The runner-free core of the kit for one test file: the app connected to the
 * worker's database, its in-process server with the request override, and the
 * lifecycle of each test's shared transaction. Runner adapters (Vitest, Jest,
 * node:test, Mocha) only decide when to call `open`, `runTest` and `close`.
 *
 * @example
 * ```ts
 * const kit = await FileKit.open(wiring, databaseUrl);
 * await kit.runTest('when a fixture row exists, then GET sees it', async () => {
 *   const client = await kit.clientFor('admin');
 *   // ...
 * });
 * await kit.close();
 * ```
 */
export class FileKit<AppContext extends { sequelize: Sequelize }, Role extends string> {
  private constructor(
    private readonly wiring: SharedSessionWiring<AppContext, Role>,
    /** What `wiring.connect` returned for this file's database. */
    readonly app: AppContext,
    /** The file's in-process server, started with the request override mounted. */
    readonly server: TestServer,
    /** The database this file runs on. */
    readonly databaseUrl: string,
    private readonly options: FileKitOptions,
    private readonly checkDeferred: boolean,
    /** Which test the file's server serves now, and which tests ended. */
    readonly runningTests: RunningTests,
  ) {
    // Test code that closes the app's instance (an `afterAll(() => sequelize.close())` kept from a
    // Jest setup) would leave the files that share this kit with Sequelize's "connection manager
    // was closed" error. The kit notes where it was closed and names that place instead.
    const sequelize = app.sequelize;
    const close = sequelize.close;
    this.closeApp = () => close.call(sequelize);
    const noteCloser = (at: string) => (this.closedAt ??= at);
    sequelize.close = function closeNotedByKit(this: Sequelize) {
      noteCloser(callerOf(closeNotedByKit));
      return close.call(sequelize);
    };
  }

  /** Closes the app's instance without noting it as closed by test code. */
  private readonly closeApp: () => Promise<void>;
  /** Where test code closed the app's instance, once it did. */
  private closedAt: string | undefined;

  /** Connects the app to `databaseUrl`, wires CLS and the query guard, and starts the file's server. */
  static async open<AppContext extends { sequelize: Sequelize }, Role extends string>(
    wiring: SharedSessionWiring<AppContext, Role>,
    databaseUrl: string,
    options: FileKitOptions = {},
  ): Promise<FileKit<AppContext, Role>> {
    // Connecting may query (authenticate, a version check): kit bookkeeping, not test data.
    const app = await outsideAnyTest(() => wiring.connect(databaseUrl));
    const SequelizeClass = app.sequelize.constructor as unknown as { useCLS(ns: unknown): void };
    SequelizeClass.useCLS(clsNamespace);
    installQueryGuard(app.sequelize, {
      appUsesClsInProduction: wiring.appUsesClsInProduction ?? false,
      explainMissingContext: options.explainMissingContext,
    });
    const checkDeferred = options.checkDeferredConstraints ?? (await hasDeferrableConstraints(app.sequelize));
    const runningTests = new RunningTests();
    // Started outside any test's context: sockets inherit the async context of
    // listen(), and requests must get their test only from the override.
    const server = await outsideAnyTest(() => startTestServer(wiring.createApp(app, createRequestOverride(runningTests))));
    return new FileKit(wiring, app, server, databaseUrl, options, checkDeferred, runningTests);
  }

  /**
   * Runs one test: claims the file's server, begins the test's transaction,
   * runs `body` inside its async context, and always ends the transaction
   * (bounded, also when the body throws). Then fails with what production
   * would have shown (an unfinished transaction, a deferred constraint), even
   * when the body passed.
   */
  async runTest<T>(testName: string, body: () => T | Promise<T>, options: TestRunOptions = {}): Promise<T> {
    const test = await this.startTest(testName, options);
    let result: T;
    try {
      result = await test.run(body);
    } finally {
      await test.finish();
    }
    return result;
  }

  /**
   * The split form of {@link FileKit.runTest}, for runners whose hooks and
   * test body are separate callbacks (a Jest environment, a Mocha root hook):
   * `run` each of them inside the test's context, then `finish` once.
   */
  async startTest(testName: string, options: TestRunOptions = {}): Promise<StartedTest> {
    if (this.closedAt !== undefined) throw appClosedError(this.closedAt);
    const claim = this.runningTests.claim(testName, options);
    let session: TestSession;
    try {
      session = await TestSession.begin(this.app.sequelize, testName, {
        lockTimeoutMs: this.wiring.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
        teardownWaitMs: this.wiring.teardownWaitMs,
        checkDeferredConstraints: this.checkDeferred,
      });
    } catch (error) {
      this.runningTests.release(claim);
      throw error;
    }
    this.runningTests.start(session);
    const context: KitContext = { values: new Map([['transaction', session.transaction]]), session, scopeOwner: options.owner };
    let finished = false;
    return {
      session,
      run: (fn) => kitStorage.run(context, fn),
      finish: async () => {
        if (finished) return;
        finished = true;
        try {
          this.runningTests.ending(session, claim);
          await session.end();
        } finally {
          this.runningTests.release(claim);
        }
        const [first, ...more] = session.failures;
        if (first) {
          if (more.length) first.message += `\n(and ${more.length} more: ${more.map((e) => e.message.split('\n')[0]).join(' | ')})`;
          throw first;
        }
      },
    };
  }

  /**
   * Runs a suite-scoped block (its hooks and all its tests) in one
   * transaction: a transaction of its own at the top, a savepoint of the
   * enclosing block's transaction when nested in one.
   */
  async runSuite<T>(name: string, body: () => T | Promise<T>, options: TestRunOptions = {}): Promise<T> {
    const outer = currentContext();
    if (!outer?.session) return this.runTest(name, body, options);
    return this.runInSavepoint(name, body, options);
  }

  /**
   * Runs `body` in a savepoint of the running block's transaction, rolled back
   * afterwards: a test-scoped test inside a suite-scoped block.
   */
  async runInSavepoint<T>(_name: string, body: () => T | Promise<T>, options: TestRunOptions = {}): Promise<T> {
    const outer = currentContext();
    const session = outer?.session;
    if (!outer || !session) throw noContextError(this.options.noContextFix ?? 'Fix: call this from inside a block of the kit.');
    return session.inSavepoint(() => Promise.resolve(kitStorage.run({ ...outer, scopeOwner: options.owner }, body)));
  }

  /** The running test's session; throws "No shared-session context" outside a test. */
  session(): TestSession {
    const session = currentContext()?.session;
    if (!session) throw noContextError(this.options.noContextFix ?? 'Fix: call this from inside a test of the kit.');
    return session;
  }

  /** The running test's shared transaction. */
  tx(): SharedTransaction {
    return this.session().transaction as SharedTransaction;
  }

  /**
   * An axios instance for the file's server, signed in as a fresh user of
   * `role` (anonymous without one). It carries the test's identity, so a
   * request it sends after the test ended is refused, not served in another test.
   */
  async clientFor(role?: Role): Promise<AxiosInstance> {
    const session = this.session();
    const headers = role === undefined ? {} : await this.wiring.signIn(this.app, role);
    return createTestClient(this.server.url, { ...headers, [TEST_ID_HEADER]: session.id });
  }

  /**
   * Runs `fn` with one of the app's pooled connections, between tests (the
   * per-file check uses it instead of opening a connection of its own).
   *
   * @example
   * ```ts
   * await kit.withIdleConnection((connection) => checkWorkerDatabase(kit.databaseUrl, { connection }));
   * ```
   */
  async withIdleConnection<T>(fn: (connection: Queryable) => Promise<T>): Promise<T> {
    await releaseTestConnections(this.app.sequelize); // the last test's locks are gone before the check looks
    if (this.closedAt !== undefined) {
      // Test code closed the pool (harmless when no later file shares this kit): a connection of its own.
      const client = new pg.Client({ connectionString: this.databaseUrl });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    }
    const manager = this.app.sequelize.connectionManager as unknown as {
      getConnection(): Promise<Queryable>;
      releaseConnection(connection: Queryable): Promise<void>;
    };
    const connection = await manager.getConnection();
    try {
      return await fn(connection);
    } finally {
      await manager.releaseConnection(connection);
    }
  }

  /** Closes the server and the app's connections: after each file (Jest, node:test), when the worker ends (Vitest) or the run ends (Mocha). */
  async close(): Promise<void> {
    try {
      await this.server.close();
    } finally {
      if (this.closedAt === undefined) await this.closeApp();
    }
  }
}

/**
 * Whether teardown must check DEFERRABLE constraints (one round trip per test);
 * FileKit asks once, when it opens. For code that drives `TestSession` itself: pass
 * the answer as `checkDeferredConstraints`.
 *
 * @example
 * ```ts
 * const checkDeferredConstraints = await hasDeferrableConstraints(sequelize); // once
 * const session = await TestSession.begin(sequelize, 'my test', { checkDeferredConstraints });
 * ```
 */
export async function hasDeferrableConstraints(sequelize: Sequelize): Promise<boolean> {
  const [rows] = await outsideAnyTest(() =>
    sequelize.query(
      `SELECT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE c.condeferrable AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS found`,
    ),
  );
  return (rows as { found: boolean }[])[0]?.found ?? true;
}

import type { RequestListener } from 'node:http';
import type { Sequelize, Transaction } from 'sequelize';
import type { AxiosInstance } from 'axios';
import { test as baseTest, TestRunner } from 'vitest';
import { clsNamespace, currentContext, kitStorage, outsideAnyTest } from './cls.ts';
import { workerDatabaseUrl } from './databases.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkWorkerDatabase } from './schema-fingerprint.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { installQueryGuard } from './query-guard.ts';
import { createRequestOverride, outsideTestError, TEST_ID_HEADER, type RequestOverride } from './request-override.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, TestSession } from './session.ts';
import { createTestClient, startTestServer, type TestServer } from './test-server.ts';

/**
 * The three things the kit needs from an app, passed in rather than imported,
 * so the kit stays app-agnostic.
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
  /** Builds the app's database layer (Sequelize instance, models...) for one database URL. Called once per test file. */
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
 * The test's transaction as the `tx` fixture types it: a Sequelize
 * `Transaction` plus the two fields Sequelize 6 has but does not type.
 *
 * @example
 * ```ts
 * test('raw SQL sees the fixture rows', async ({ tx }) => {
 *   const [rows] = await tx.sequelize.query('SELECT count(*) FROM users', { transaction: tx });
 * });
 * ```
 */
export type SharedTransaction = Transaction & {
  /** The app's Sequelize instance. */
  readonly sequelize: Sequelize;
  /** Shared by the transaction and all its savepoints. */
  readonly id: string;
};

/** The error for a test that starts while the previous test's teardown still runs. */
function teardownStillRunningError(previous: string, next: string): SharedSessionError {
  return new SharedSessionError(
    `The previous test is still tearing down: "${next}" started while the teardown of "${previous}" was still ` +
      'running (it outlived its hook timeout).\n' +
      'Fix: raise hookTimeout, or find what kept the previous test busy (a request that never ended is cut after ' +
      'teardownWaitMs; a very slow rollback is not).',
    TESTING_SECTIONS.teardownStillRunning,
  );
}

/**
 * The tests of one file that the file's server serves: which one runs now,
 * and the identities of those that ended, so a late request of an ended test
 * gets its own refusal. Exported for the kit's own tests only.
 */
export class RunningTests {
  private owner: { name: string; state: 'running' | 'ending' } | undefined;
  private readonly sessions = new Map<string, TestSession>();
  private readonly ended = new Map<string, string>();

  /**
   * Claims the file's server for `testName`, synchronously, so that two tests
   * started together cannot both pass the check.
   */
  claim(testName: string): void {
    if (this.owner?.state === 'ending') throw teardownStillRunningError(this.owner.name, testName);
    if (this.owner !== undefined) {
      throw new SharedSessionError(
        `Two tests share one file server at once ("${this.owner.name}" and "${testName}"): ` +
          'test.concurrent is not supported, because requests are routed to the one running test.\n' +
          'Fix: remove `.concurrent` (files still run in parallel, one database per worker).',
        TESTING_SECTIONS.concurrentTests,
      );
    }
    this.owner = { name: testName, state: 'running' };
  }

  /** The claimed test's session has begun: requests can reach it. */
  start(session: TestSession): void {
    this.sessions.set(session.id, session);
  }

  /** Teardown has begun: new requests of the session are refused as from an ended test. */
  ending(session: TestSession): void {
    if (this.owner) this.owner.state = 'ending';
    this.sessions.delete(session.id);
    this.ended.set(session.id, session.testName);
    // Identities of ended tests are kept only to explain late requests; a bounded number is plenty.
    if (this.ended.size > 1_000) this.ended.delete(this.ended.keys().next().value as string);
  }

  /** Frees the server for the next test. */
  release(): void {
    this.owner = undefined;
  }

  /** The session a request belongs to, or the refusal that explains why it has none. */
  route(testId: string | undefined, label: string): TestSession | SharedSessionError {
    if (testId !== undefined) {
      const session = this.sessions.get(testId);
      if (session && !session.hasEnded) return session;
      const endedName = this.ended.get(testId);
      if (endedName !== undefined) return endedTestError(endedName, label);
      return outsideTestError(`${label} (from a test this server does not know)`);
    }
    const running = [...this.sessions.values()].filter((s) => !s.hasEnded);
    if (running.length === 1) return running[0] as TestSession;
    if (running.length === 0) return outsideTestError(label);
    return new SharedSessionError(
      `Untagged request while several tests are running: ${label} carries no test identity, and ${running.length} tests ` +
        `(${running.map((s) => `"${s.testName}"`).join(', ')}) are running, so the kit cannot tell which transaction it belongs to.\n` +
        `Fix: send it with a client from \`clientFor()\`, or have your own client send the header ${TEST_ID_HEADER} ` +
          'with the test\'s id, `currentContext()?.session?.id`.',
      TESTING_SECTIONS.untaggedRequest,
    );
  }
}

function endedTestError(testName: string, label: string): SharedSessionError {
  return new SharedSessionError(
    `Request from a test that has ended: ${label} was sent by "${testName}" after that test finished (a request fired ` +
      'from a timer or a promise the test did not await). It was refused so that it cannot write into another test.\n' +
      'Fix: await every request before the test ends.',
    TESTING_SECTIONS.endedTest,
  );
}

function noContextError(): SharedSessionError {
  return new SharedSessionError(
    'No shared-session context: the test body is not running inside the kit\'s aroundEach hook, so its queries ' +
      'could not be routed to the test transaction.\n' +
      'Fix: import `test` from your fixtures module in this file (it registers the hook when imported), and keep ' +
      'Vitest\'s default `isolate: true` so the hook is registered for every file.',
    TESTING_SECTIONS.noContext,
  );
}

/** Test files in which a kit hook was registered, and how many (more than one is refused). */
const hooksByFile = new Map<string, number>();

function notIsolatedError(file: string): SharedSessionError {
  return new SharedSessionError(
    `The kit hook is not registered in this file: ${file} runs in a module graph shared with another file ` +
      '(Vitest `isolate: false` or `--no-isolate`), so the fixtures module was imported, and its aroundEach hook ' +
      'registered, in another file only. Its tests would run outside any test transaction.\n' +
      'Fix: keep `isolate: true` (the default) for the files that use the kit.',
    TESTING_SECTIONS.notIsolated,
  );
}

/** Says why a test has no kit context, from what Vitest knows of the running test. */
function diagnoseMissingContext(sql: string): SharedSessionError | undefined {
  const test = TestRunner.getCurrentTest();
  if (!test) return undefined;
  const file = test.file.filepath;
  if (!hooksByFile.has(file)) return notIsolatedError(file);
  return new SharedSessionError(
    `Query outside any test transaction: in "${test.name}", a query ran before the test's transaction began or after ` +
      'it ended (a fixture Vitest sets up before the kit\'s aroundEach hook, such as an `auto` fixture of another ' +
      `test builder, or an onTestFinished callback), so it would be committed for good.\n  query: ${sql.slice(0, 200)}\n` +
      'Fix: create data in the test body, a beforeEach hook, or a fixture the test names, built on the kit\'s `test`.',
    TESTING_SECTIONS.outsideAnyTest,
  );
}

type FixtureOptions = { auto?: boolean; scope?: string };

function autoFixtureError(name: string): SharedSessionError {
  return new SharedSessionError(
    `Auto fixtures cannot join the test transaction: the fixture "${name}" is registered with \`auto: true\` on the ` +
      'kit\'s test. Vitest sets auto fixtures up before the aroundEach hook that opens the test\'s transaction, so its ' +
      'queries would commit for good.\n' +
      `Fix: drop \`auto: true\` and name "${name}" in the tests (or in a beforeEach hook) that need it: fixtures a test names are set up inside its transaction.`,
    TESTING_SECTIONS.autoFixture,
  );
}

/** Refuses test-scoped `auto` fixtures on the kit's test and on every test extended from it. */
function refuseAutoFixtures<T extends object>(test: T): T {
  return new Proxy(test, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'extend' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const [first, second] = args;
        if (typeof first === 'string') {
          const options = (typeof second === 'object' && second ? second : {}) as FixtureOptions;
          if (options.auto && (options.scope ?? 'test') === 'test') throw autoFixtureError(first);
        } else if (typeof first === 'object' && first) {
          for (const [name, definition] of Object.entries(first)) {
            const options = (Array.isArray(definition) ? definition[1] : undefined) as FixtureOptions | undefined;
            if (options?.auto && (options.scope ?? 'test') === 'test') throw autoFixtureError(name);
          }
        }
        return refuseAutoFixtures((value as (...a: unknown[]) => object).apply(target, args));
      };
    },
  });
}

/**
 * Builds the Vitest `test` function of the shared-session pattern (needs
 * Vitest 4.1: builder `.extend` and `aroundEach`). Fixtures:
 *
 * - `tx`: the test's shared transaction (begun for every test by the kit's
 *   aroundEach hook, whether or not the test names it); rolled back after the
 *   test, also when it fails or times out;
 * - `clientFor(role?)`: an axios instance for the in-process app, signed in as
 *   a fresh user of `role` (anonymous without one);
 * - `app`: what `wiring.connect` returned, for this file's database;
 * - `server`: the file's in-process server.
 *
 * Importing the module that calls this registers an `aroundEach` hook in the
 * importing file: it runs each test body inside an AsyncLocalStorage context,
 * which is how Sequelize's CLS hands the transaction to every query.
 *
 * @example
 * ```ts
 * export const test = createSharedSessionTest({
 *   connect: (url) => connectDatabase(url),
 *   createApp: (db, override) => createApp({ ...db, testRequestOverride: override }),
 *   signIn: async (db, role) => ({ authorization: `Bearer ${await tokenFor(db, role)}` }),
 * });
 * ```
 */
export function createSharedSessionTest<AppContext extends { sequelize: Sequelize }, Role extends string>(
  wiring: SharedSessionWiring<AppContext, Role>,
) {
  const referenceTables = wiring.referenceTables ?? DEFAULT_REFERENCE_TABLES;

  const test = baseTest
    // Vitest reads a fixture's dependencies from its destructuring pattern, so "none" is `{}`.
    // eslint-disable-next-line no-empty-pattern
    .extend('databaseUrl', { scope: 'file' }, async ({}, { onCleanup }) => {
      const url = await workerDatabaseUrl();
      // The per-file check: after the file's last test, its database must hold no
      // rows and have the template's schema (DDL is not a row); a damaged one is cloned again.
      onCleanup(() => checkWorkerDatabase(url, { referenceTables }));
      return url;
    })
    .extend('app', { scope: 'file' }, async ({ databaseUrl }, { onCleanup }) => {
      // Connecting may query (authenticate, a version check): kit bookkeeping, not test data.
      const app = await outsideAnyTest(() => wiring.connect(databaseUrl));
      const SequelizeClass = app.sequelize.constructor as unknown as { useCLS(ns: unknown): void };
      SequelizeClass.useCLS(clsNamespace);
      installQueryGuard(app.sequelize, {
        appUsesClsInProduction: wiring.appUsesClsInProduction ?? false,
        explainMissingContext: diagnoseMissingContext,
      });
      onCleanup(() => app.sequelize.close());
      return app;
    })
    // Whether teardown must check DEFERRABLE constraints (one round trip per test), asked once per file.
    .extend('hasDeferrableConstraints', { scope: 'file' }, async ({ app }) => {
      const [rows] = await outsideAnyTest(() =>
        app.sequelize.query(
          `SELECT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
             WHERE c.condeferrable AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS found`,
        ),
      );
      return (rows as { found: boolean }[])[0]?.found ?? true;
    })
    .extend('runningTests', { scope: 'file' }, () => new RunningTests())
    .extend('server', { scope: 'file' }, async ({ app, runningTests }, { onCleanup }) => {
      // Started outside any test's context: sockets inherit the async context of
      // listen(), and requests must get their test only from the override.
      const server: TestServer = await outsideAnyTest(() => startTestServer(wiring.createApp(app, createRequestOverride(runningTests))));
      onCleanup(() => server.close());
      return server;
    })
    .extend('tx', async ({ task }): Promise<SharedTransaction> => {
      const session = currentContext()?.session;
      if (!session) throw hooksByFile.has(task.file.filepath) ? noContextError() : notIsolatedError(task.file.filepath);
      return session.transaction as SharedTransaction;
    })
    .extend('clientFor', async ({ app, server }) => {
      return async (role?: Role): Promise<AxiosInstance> => {
        const session = currentContext()?.session;
        if (!session) throw noContextError();
        const headers = role === undefined ? {} : await wiring.signIn(app, role);
        // The test's identity travels with every request of this client, so a
        // request it sends after the test ended is refused, not served in another test.
        return createTestClient(server.url, { ...headers, [TEST_ID_HEADER]: session.id });
      };
    });

  const file = TestRunner.getCurrentSuite()?.file?.filepath;
  if (file) hooksByFile.set(file, (hooksByFile.get(file) ?? 0) + 1);

  // The heart of the kit. aroundEach (not a fixture) because only here does
  // the test body run *inside* the callback, and so inside the AsyncLocalStorage
  // context that carries the transaction to every query (Vitest 4.1+).
  test.aroundEach(async (runTest, { app, runningTests, hasDeferrableConstraints, task }) => {
    if ((hooksByFile.get(task.file.filepath) ?? 0) > 1) throw twoFixtureModulesError(task.file.filepath);
    if (!runningTests) throw plainVitestTestError(task.name);
    runningTests.claim(task.name);
    try {
      const session = await TestSession.begin(app.sequelize, task.name, {
        lockTimeoutMs: wiring.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
        teardownWaitMs: wiring.teardownWaitMs,
        checkDeferredConstraints: hasDeferrableConstraints,
      });
      runningTests.start(session);
      try {
        // runTest() resolves even when the test fails or times out, so the
        // rollback below always runs; a timed-out body that keeps going finds
        // its session ended and every later query refused.
        await kitStorage.run({ values: new Map([['transaction', session.transaction]]), session }, runTest);
      } finally {
        runningTests.ending(session);
        await session.end();
      }
      // What production would have shown (an unfinished transaction, a
      // deferred constraint) fails the test, even when its assertions passed.
      const [first, ...more] = session.failures;
      if (first) {
        if (more.length) first.message += `\n(and ${more.length} more: ${more.map((e) => e.message.split('\n')[0]).join(' | ')})`;
        throw first;
      }
    } finally {
      runningTests.release();
    }
  });

  return refuseAutoFixtures(test);
}

function twoFixtureModulesError(file: string): SharedSessionError {
  return new SharedSessionError(
    `Two kit fixtures modules in one file: ${file} imports two modules that call createSharedSessionTest, so two ` +
      'aroundEach hooks would each open a transaction for every test, on two connections that cannot see each other.\n' +
      'Fix: import `test` from one fixtures module per file (extend it with `.extend()` for more fixtures).',
    TESTING_SECTIONS.twoFixtureModules,
  );
}

function plainVitestTestError(testName: string): SharedSessionError {
  return new SharedSessionError(
    `A test declared with Vitest's own test runs in a file that uses the kit: "${testName}" was declared with ` +
      "`test` (or `it`) imported from 'vitest', so the kit's fixtures are missing and it cannot open the test's transaction.\n" +
      "Fix: import `test` from your fixtures module, not from 'vitest', in every file that imports the fixtures module.",
    TESTING_SECTIONS.plainVitestTest,
  );
}

import type { RequestListener } from 'node:http';
import type { Sequelize, Transaction } from 'sequelize';
import type { AxiosInstance } from 'axios';
import { test as baseTest } from 'vitest';
import { clsNamespace, currentContext, kitStorage, outsideAnyTest } from './cls.ts';
import { workerDatabaseUrl } from './databases.ts';
import { countRows, DEFAULT_REFERENCE_TABLES, truncateTables } from './row-counts.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { installQueryGuard } from './query-guard.ts';
import { createRequestOverride, type RequestOverride } from './request-override.ts';
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

/**
 * The mutable "which test is running now" slot that the file's server reads.
 * Exported for the kit's own tests only (not part of the public API).
 */
export class RunningTest {
  /** The name of the test that owns the file's server, set before its transaction begins. */
  owner: string | undefined;
  /** That test's session, once begun. */
  current: TestSession | undefined;

  /**
   * Claims the file's server for `testName`, synchronously, so that two tests
   * started together cannot both pass the check.
   */
  claim(testName: string): void {
    if (this.owner !== undefined) {
      throw new SharedSessionError(
        `Two tests share one file server at once ("${this.owner}" and "${testName}"): ` +
          'test.concurrent is not supported, because requests are routed to the one running test.\n' +
          'Fix: remove `.concurrent` (files still run in parallel, one database per worker).',
        TESTING_SECTIONS.concurrentTests,
      );
    }
    this.owner = testName;
  }

  /** Frees the server for the next test. */
  release(): void {
    this.current = undefined;
    this.owner = undefined;
  }
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
      // The per-file leak check: after the file's last test, its database must be empty.
      onCleanup(async () => {
        const rows = await countRows(url, referenceTables);
        if (Object.keys(rows).length > 0) {
          // Empty the tables so the next file of this worker is not blamed too.
          await truncateTables(url, Object.keys(rows));
          throw new SharedSessionError(
            `Rows left behind after this file: ${Object.entries(rows).map(([t, n]) => `${t} (${n})`).join(', ')}. ` +
              'Something committed outside the test transaction (the tables were emptied so the next file starts clean).',
            TESTING_SECTIONS.leak,
          );
        }
      });
      return url;
    })
    .extend('app', { scope: 'file' }, async ({ databaseUrl }, { onCleanup }) => {
      const app = await wiring.connect(databaseUrl);
      const SequelizeClass = app.sequelize.constructor as unknown as { useCLS(ns: unknown): void };
      SequelizeClass.useCLS(clsNamespace);
      installQueryGuard(app.sequelize);
      onCleanup(() => app.sequelize.close());
      return app;
    })
    .extend('runningTest', { scope: 'file' }, () => new RunningTest())
    .extend('server', { scope: 'file' }, async ({ app, runningTest }, { onCleanup }) => {
      // Started outside any test's context: sockets inherit the async context of
      // listen(), and requests must get their test only from the override.
      const server: TestServer = await outsideAnyTest(() => startTestServer(wiring.createApp(app, createRequestOverride(runningTest))));
      onCleanup(() => server.close());
      return server;
    })
    .extend('tx', async (): Promise<SharedTransaction> => {
      const session = currentContext()?.session;
      if (!session) throw noContextError();
      return session.transaction as SharedTransaction;
    })
    .extend('clientFor', async ({ app, server }) => {
      return async (role?: Role): Promise<AxiosInstance> => {
        const headers = role === undefined ? {} : await wiring.signIn(app, role);
        return createTestClient(server.url, headers);
      };
    });

  // The heart of the kit. aroundEach (not a fixture) because only here does
  // the test body run *inside* the callback, and so inside the AsyncLocalStorage
  // context that carries the transaction to every query (Vitest 4.1+).
  test.aroundEach(async (runTest, { app, runningTest, task }) => {
    runningTest.claim(task.name);
    try {
      const session = await TestSession.begin(app.sequelize, task.name, wiring.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
      runningTest.current = session;
      try {
        // runTest() resolves even when the test fails or times out, so the
        // rollback below always runs; a timed-out body that keeps going finds
        // its session ended and every later query refused.
        await kitStorage.run({ values: new Map([['transaction', session.transaction]]), session }, runTest);
      } finally {
        await session.end();
      }
    } finally {
      runningTest.release();
    }
  });

  return test;
}

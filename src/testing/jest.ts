/**
 * The Jest 29/30 (jest-circus) adapter of the kit. Jest runs a test file in a
 * vm context with its own module registry, and only its test environment sees
 * each test start and end. So the work is split in two:
 *
 * - {@link sharedSessionEnvironment} (the environment, outer realm) gives the
 *   file its worker database, begins each test's transaction on `test_started`,
 *   runs the test body and its beforeEach/afterEach hooks inside the test's
 *   AsyncLocalStorage context, and rolls back on `test_done`;
 * - {@link useSharedSession} (a setup file, test realm) opens the file's
 *   {@link FileKit} in beforeAll and, in afterAll, closes it and checks the database.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = {
 *   testEnvironment: 'sequelize-shared-session/jest-environment',
 *   setupFilesAfterEnv: ['./test/kit.js'], // require('sequelize-shared-session/jest').useSharedSession(wiring)
 *   globalSetup: './test/global-setup.js',
 *   globalTeardown: './test/global-teardown.js',
 * };
 * ```
 *
 * @packageDocumentation
 */
import type { Sequelize } from 'sequelize';
import type { AxiosInstance } from 'axios';
import { kitStorage } from './cls.ts';
import { workerDatabaseUrl } from './databases.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { FileKit, noContextError, type SharedSessionWiring, type SharedTransaction, type StartedTest } from './file-kit.ts';
import { createGlobalSetup, type GlobalSetupOptions } from './global-setup.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkWorkerDatabase } from './schema-fingerprint.ts';

export type { SharedSessionWiring, SharedTransaction } from './file-kit.ts';

const STORAGE = Symbol.for('sequelize-shared-session.storage');
const DATABASE_URL = Symbol.for('sequelize-shared-session.jest.database-url');
const KIT = Symbol.for('sequelize-shared-session.jest.kit');
const TEARDOWN = Symbol.for('sequelize-shared-session.jest.teardown');
type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Holder = { fn: Fn };
type Block = { name: string; parent?: Block };
type CircusTest = Block & Holder & { errors: unknown[] };
type CircusEvent = { name: string; concurrent?: boolean; testName?: string; test?: CircusTest; hook?: Holder & { type: string } };
type Globals = Record<symbol, unknown> & { process: { env: Record<string, string | undefined> } };
/**
 * What {@link sharedSessionEnvironment} needs of a Jest environment class (jest-environment-node's has it).
 *
 * @example
 * ```ts
 * const base: EnvironmentClass = require('jest-environment-node').TestEnvironment;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base must take `any[]`
export type EnvironmentClass = new (...args: any[]) => {
  /** The test file's global object. */
  global: object;
  /** Called by Jest before the test file's modules load. */
  setup(): Promise<void>;
};

function concurrentError(testName: string): SharedSessionError {
  return new SharedSessionError(
    `Jest's test.concurrent is refused in files that use the kit: "${testName}" is registered with .concurrent. Jest starts ` +
      "concurrent tests before their test_start event, outside their transactions, all on the file's one server and " +
      'connection: the file would hang with a transaction left open.\n' +
      'Fix: remove `.concurrent` (files still run in parallel in Jest workers, one database per worker).',
    TESTING_SECTIONS.jestConcurrent,
  );
}

/**
 * Makes a Jest test environment class run each test of a kit file in its
 * shared transaction. `sequelize-shared-session/jest-environment` is this
 * mixin applied to jest-environment-node; apply it yourself to use another
 * copy or version of jest-environment-node, or your own environment.
 *
 * @example
 * ```js
 * // test/environment.js, then testEnvironment: './test/environment.js'
 * const { TestEnvironment } = require('jest-environment-node');
 * module.exports = require('sequelize-shared-session/jest').sharedSessionEnvironment(TestEnvironment);
 * ```
 */
export function sharedSessionEnvironment<Base extends EnvironmentClass>(Base: Base): Base {
  class SharedSessionEnvironment extends Base {
    #started?: StartedTest;
    #wrapped: [Holder, Fn][] = [];

    /** Shares the kit's AsyncLocalStorage with the test realm and points `DATABASE_URL` at the worker database. */
    override async setup(): Promise<void> {
      await super.setup();
      const global = this.global as Globals;
      global[STORAGE] = kitStorage;
      global.process.env.DATABASE_URL = String((global[DATABASE_URL] = await workerDatabaseUrl()));
    }

    /** jest-circus calls this for every event (and awaits it, except for `add_test`). */
    handleTestEvent(event: CircusEvent): Promise<void> {
      if (event.name === 'add_test' && event.concurrent) throw concurrentError(event.testName ?? '');
      return this.#onEvent(event);
    }

    async #onEvent({ name, test, hook }: CircusEvent): Promise<void> {
      const kit = (this.global as Globals)[KIT] as FileKit<{ sequelize: Sequelize }, string> | undefined;
      if (name === 'test_started' && kit && test) {
        try {
          this.#started = await kit.startTest(fullName(test));
        } catch (error) {
          test.errors.push(error); // Jest then skips the hooks and the body
        }
      } else if (this.#started && ((name === 'hook_start' && /Each$/.test(hook!.type)) || name === 'test_fn_start')) {
        this.#wrap((hook ?? test)!, this.#started);
      } else if (name === 'test_done' && test) {
        for (const [holder, fn] of this.#wrapped.splice(0)) holder.fn = fn;
        const started = this.#started;
        this.#started = undefined;
        await started?.finish().catch((error: unknown) => test.errors.push(error));
      }
    }

    /** Runs `holder.fn` inside the test's context; keeps `fn.length`, which Jest reads to pass `done`. */
    #wrap(holder: Holder, started: StartedTest): void {
      const fn = holder.fn;
      this.#wrapped.push([holder, fn]);
      holder.fn = fn.length > 0
        ? function (this: unknown, done: unknown) { return started.run(() => fn.call(this, done)); }
        : function (this: unknown) { return started.run(() => fn.call(this)); };
    }
  }
  return SharedSessionEnvironment;
}

function fullName(test: Block): string {
  const names: string[] = [];
  for (let block: Block | undefined = test; block?.parent; block = block.parent) names.unshift(block.name);
  return names.join(' ');
}

/**
 * What a test file uses: the kit of the file (opened in beforeAll by {@link useSharedSession}).
 *
 * @example
 * ```js
 * const { session } = require('sequelize-shared-session/jest');
 * const admin = await session().clientFor('admin');
 * ```
 */
export interface JestSharedSession<AppContext extends { sequelize: Sequelize }, Role extends string> {
  /** An axios instance for the file's server, signed in as a fresh user of `role` (anonymous without one). */
  clientFor(role?: Role): Promise<AxiosInstance>;
  /** The running test's shared transaction. */
  tx(): SharedTransaction;
  /** What `wiring.connect` returned. */
  readonly app: AppContext;
}

/**
 * Call once per test file, from a `setupFilesAfterEnv` module: opens the
 * file's kit in beforeAll (the app is connected to the worker database, whose
 * URL the environment put in `process.env.DATABASE_URL` before any module of
 * the file loaded), and in afterAll closes it and checks that the database
 * holds no rows and has the template's schema.
 *
 * @example
 * ```js
 * // test/kit.js, listed in setupFilesAfterEnv
 * module.exports = require('sequelize-shared-session/jest').useSharedSession({
 *   connect: () => require('../src/db'), // the app's singleton, built from process.env.DATABASE_URL
 *   createApp: (_db, override) => express().use(override).use(require('../src/app')),
 *   signIn: async (db, role) => ({ authorization: `Bearer ${await tokenForNewUser(db, role)}` }),
 * });
 * ```
 */
export function useSharedSession<AppContext extends { sequelize: Sequelize }, Role extends string>(
  wiring: SharedSessionWiring<AppContext, Role>,
): JestSharedSession<AppContext, Role> {
  const global = globalThis as unknown as Globals & Record<'beforeAll' | 'afterAll', (fn: () => Promise<void>, timeout: number) => void>;
  const databaseUrl = global[DATABASE_URL] as string | undefined;
  if (!databaseUrl) throw new SharedSessionError(
    "The kit's Jest environment is not set: useSharedSession() runs in a file whose testEnvironment does not come from the kit, " +
      'so nothing would run its tests and hooks inside their transactions (AsyncLocalStorage.enterWith() in a beforeEach does ' +
      'not reach the test body), and what they write would be committed.\n' +
      "Fix: set `testEnvironment: 'sequelize-shared-session/jest-environment'` in the Jest config (or a class made with sharedSessionEnvironment()).",
    TESTING_SECTIONS.jestEnvironmentMissing,
  );
  const noContextFix = "Fix: call this from a test or a beforeEach/afterEach hook (the kit's Jest environment runs those inside the test's transaction).";
  let kit: FileKit<AppContext, Role> | undefined;
  global.beforeAll(async () => {
    global[KIT] = kit = await FileKit.open(wiring, databaseUrl, { noContextFix });
  }, 60_000);
  global.afterAll(async () => {
    global[KIT] = undefined;
    try { await kit?.close(); } finally {
      await checkWorkerDatabase(databaseUrl, { referenceTables: wiring.referenceTables ?? DEFAULT_REFERENCE_TABLES });
    }
  }, 60_000);
  const open = (): FileKit<AppContext, Role> => {
    if (!kit) throw noContextError(noContextFix); // module code, or a beforeAll before the kit's
    return kit;
  };
  return { clientFor: (role) => open().clientFor(role), tx: () => open().tx(), get app() { return open().app; } };
}

/**
 * Jest's `globalSetup` for the kit: starts PostgreSQL (embedded, or `DATABASE_URL`)
 * and migrates the template once; pair it with {@link jestGlobalTeardown}.
 *
 * @example
 * ```js
 * // test/global-setup.js
 * module.exports = require('sequelize-shared-session/jest').createJestGlobalSetup({ migrate: require('../src/migrate') });
 * ```
 */
export function createJestGlobalSetup(options: GlobalSetupOptions): () => Promise<void> {
  const setup = createGlobalSetup(options);
  return async () => { (globalThis as Record<symbol, unknown>)[TEARDOWN] = await setup(); };
}

/**
 * Jest's `globalTeardown` for the kit: checks every worker database, drops the run's databases, stops PostgreSQL.
 *
 * @example
 * ```js
 * // test/global-teardown.js
 * module.exports = require('sequelize-shared-session/jest').jestGlobalTeardown;
 * ```
 */
export async function jestGlobalTeardown(): Promise<void> {
  await ((globalThis as Record<symbol, unknown>)[TEARDOWN] as (() => Promise<void>) | undefined)?.();
}

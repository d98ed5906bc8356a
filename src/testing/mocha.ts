/**
 * The Mocha 10/11 adapter of the kit: a root-hooks plugin (load it with
 * `--require`) whose hooks open the kit once per process, run every test body
 * and every `beforeEach`/`afterEach` hook inside the test's shared transaction,
 * and check the database after each test file (FileKit does the work).
 *
 * @example
 * ```js
 * // test/kit.js, loaded by .mocharc.json { "require": ["test/kit.js"] }
 * module.exports = createMochaPlugin(wiring, { migrate });
 * ```
 *
 * @packageDocumentation
 */
import { AsyncResource } from 'node:async_hooks';
import { relative } from 'node:path';
import type { Sequelize } from 'sequelize';
import type { AxiosInstance } from 'axios';
import { DATABASE_INFO_ENV, providedDatabase, workerDatabaseUrl } from './databases.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { FileKit, noContextError, type SharedSessionWiring, type SharedTransaction, type StartedTest } from './file-kit.ts';
import { createGlobalSetup, type GlobalSetupOptions } from './global-setup.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkDatabaseAgainstTemplate } from './schema-fingerprint.ts';

export type { SharedSessionWiring, SharedTransaction } from './file-kit.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Mocha calls test and hook functions with any `this`
type Fn = (this: any, ...args: any[]) => any;
/** The parts of Mocha's runnables, suites and hook context that the plugin reads (Mocha 10 and 11). */
type Runnable = { fn?: Fn; file?: string; parent?: Suite; fullTitle(): string; error(err: unknown): void };
type Suite = { parent?: Suite; _beforeEach: Runnable[]; _afterEach: Runnable[] };
type HookContext = { test: Runnable; currentTest?: Runnable };

const NO_CONTEXT_FIX = 'Fix: call clientFor() and tx() in a test or in a beforeEach/afterEach hook (Mocha runs before/after hooks and module code outside any test).';

function notLoadedError(): SharedSessionError {
  return new SharedSessionError(
    "The kit's Mocha plugin is not loaded: clientFor() or tx() was called in a Mocha run that did not load it, so no test of this run has a transaction.\n" +
      'Fix: load the module that exports createMochaPlugin(...) with `--require` (`"require"` in .mocharc), and export the whole plugin (`module.exports = createMochaPlugin(...)`).',
    TESTING_SECTIONS.mochaNotLoaded,
  );
}

/**
 * The root hooks the plugin gives Mocha.
 *
 * @example
 * ```js
 * const hooks = await plugin.mochaHooks(); // Mocha does this when it loads the plugin
 * ```
 */
export type MochaRootHooks = Record<'beforeAll' | 'beforeEach' | 'afterEach' | 'afterAll', (this: unknown) => Promise<void>>;

/**
 * The Mocha plugin {@link createMochaPlugin} builds: export it from the module
 * Mocha loads with `--require`; tests import `clientFor` and `tx` from it.
 *
 * @example
 * ```js
 * const { clientFor, tx } = require('./kit'); // the --require'd module
 * ```
 */
export interface MochaPlugin<AppContext extends { sequelize: Sequelize }, Role extends string> {
  /**
   * Called by Mocha before it loads the test files, in its main process and in
   * each `--parallel` worker: makes the databases (the global setup) unless the
   * process inherited them, and points the app's variable at this process's database.
   */
  mochaHooks(): Promise<MochaRootHooks>;
  /** Closes this process's kit, checks every worker database and drops them. */
  mochaGlobalTeardown(): Promise<void>;
  /** A client of the running test, signed in as a fresh user of `role` (anonymous without one). */
  clientFor(role?: Role): Promise<AxiosInstance>;
  /** The running test's shared transaction. */
  tx(): SharedTransaction;
  /** The process's kit (its `app` is what `wiring.connect` returned). */
  kit(): FileKit<AppContext, Role>;
}

/**
 * Builds the Mocha root-hooks plugin. When Mocha loads it, before any test
 * file, it starts PostgreSQL and migrates the template (unless the process
 * inherited a run: a `--parallel` worker), then points
 * `process.env[databaseUrlEnv]` at this process's own database, so an app
 * built from the environment when first required, even at the top of a test
 * file, uses it. The first `before all` hook opens the kit, once per process
 * (a singleton app is loaded once per process). Every test body and every
 * `beforeEach`/`afterEach` hook runs inside the test's transaction (a `done`
 * callback is handed back outside it, mocha#4662); `before`/`after` hooks and
 * module code run outside any test. After each test file (also without
 * `--parallel`, where all files share one process and one database) the
 * database must hold no rows and have the template's schema; a leak fails the
 * root `after all` hook, naming the file.
 *
 * @param options - the global setup's options (`migrate`, `seed`...) and the variable the app reads its database URL from (default `DATABASE_URL`).
 * @example
 * ```js
 * module.exports = createMochaPlugin({
 *   connect: () => require('../src/db'), // built from process.env.DATABASE_URL, the worker database
 *   createApp: (db, override) => express().use(override).use(require('../src/app')),
 *   signIn: async (db, role) => ({ authorization: `Bearer ${sign((await db.User.create({ role })).id)}` }),
 * }, { migrate });
 * ```
 */
export function createMochaPlugin<AppContext extends { sequelize: Sequelize }, Role extends string>(
  wiring: SharedSessionWiring<AppContext, Role>,
  { databaseUrlEnv = 'DATABASE_URL', ...options }: GlobalSetupOptions & { databaseUrlEnv?: string },
): MochaPlugin<AppContext, Role> {
  const referenceTables = wiring.referenceTables ?? options.referenceTables ?? DEFAULT_REFERENCE_TABLES;
  let teardown: (() => Promise<void>) | undefined;
  let url: string | undefined;
  let kit: FileKit<AppContext, Role> | undefined;
  let current: StartedTest | undefined;
  let file: string | undefined; // whose tests ran since the last check
  const problems: Error[] = [];
  const ours = new WeakSet<Fn>();

  /** `fn` as Mocha calls it, inside the running test's context; same arity, and `done` returns outside it (mocha#4662). */
  const inTest = (fn: Fn | undefined): Fn | undefined => {
    if (!fn || ours.has(fn)) return fn;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'function') args[0] = AsyncResource.bind(args[0] as Fn);
      return current ? current.run(() => fn.apply(this, args)) : fn.apply(this, args);
    };
    ours.add(Object.defineProperty(wrapped, 'length', { value: fn.length }));
    return wrapped;
  };
  const checkFile = async () => {
    const checked = file;
    file = undefined;
    if (!kit || checked === undefined) return;
    await checkDatabaseAgainstTemplate(kit.databaseUrl, await providedDatabase(), { referenceTables }).catch((error: Error) => {
      problems.push(Object.assign(error, { message: `${error.message}\n(checked after the tests of ${relative(process.cwd(), checked)})` }));
    });
  };
  const theKit = () => {
    if (!kit) throw url ? noContextError(NO_CONTEXT_FIX) : notLoadedError();
    return kit;
  };

  const hooks: MochaRootHooks = {
    async beforeAll() {
      // The kit's beforeEach runs first and its afterEach last, around root hooks of test files and other plugins.
      const root = (this as HookContext).test.parent as Suite;
      root._beforeEach.sort((a, b) => Number(b.fn === hooks.beforeEach) - Number(a.fn === hooks.beforeEach));
      root._afterEach.sort((a, b) => Number(a.fn === hooks.afterEach) - Number(b.fn === hooks.afterEach));
      kit ??= await FileKit.open(wiring, url as string, { noContextFix: NO_CONTEXT_FIX });
    },
    async beforeEach() {
      const test = (this as HookContext).currentTest as Runnable;
      if (file !== undefined && file !== (test.file ?? '')) await checkFile();
      file = test.file ?? '';
      test.fn = inTest(test.fn);
      for (let suite = test.parent; suite; suite = suite.parent) {
        for (const hook of [...suite._beforeEach, ...suite._afterEach]) hook.fn = inTest(hook.fn);
      }
      current = await theKit().startTest(test.fullTitle());
    },
    async afterEach() {
      const started = current;
      current = undefined;
      // Fails the test, not the hook: a failed root hook would skip every later test of the run.
      await started?.finish().catch((error: unknown) => (this as HookContext).test.error(error));
    },
    async afterAll() {
      await checkFile();
      const [first] = problems;
      if (first) throw Object.assign(first, { message: problems.splice(0).map((e) => e.message).join('\n\n') });
    },
  };
  for (const hook of Object.values(hooks)) ours.add(hook);

  return {
    mochaHooks: async () => {
      if (!process.env[DATABASE_INFO_ENV]) teardown = await createGlobalSetup(options)();
      url = await workerDatabaseUrl();
      process.env[databaseUrlEnv] = url;
      return hooks;
    },
    mochaGlobalTeardown: async () => {
      try {
        await kit?.close();
      } finally {
        await teardown?.();
      }
    },
    clientFor: (role) => theKit().clientFor(role),
    tx: () => theKit().tx(),
    kit: theKit,
  };
}

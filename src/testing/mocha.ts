/**
 * The Mocha 10/11 adapter of the kit: a root-hooks plugin (load it with
 * `--require`) whose hooks open the kit once per process, run every test body
 * and every `beforeEach`/`afterEach` hook inside the test's shared transaction,
 * and check the database after each test file (FileKit does the work).
 * `useSuiteTransaction()` at the top of a `describe` body runs the whole
 * block, its `before`/`after` hooks included, in one transaction instead.
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
import { currentContext, kitStorage, type KitContext } from './cls.ts';
import { DATABASE_INFO_ENV, providedDatabase, workerDatabaseUrl } from './databases.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { FileKit, noContextError, type SharedSessionWiring, type SharedTransaction } from './file-kit.ts';
import { createGlobalSetup, type GlobalSetupOptions } from './global-setup.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkDatabaseAgainstTemplate } from './schema-fingerprint.ts';

export type { SharedSessionWiring, SharedTransaction } from './file-kit.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Mocha calls test and hook functions with any `this`
type Fn = (this: any, ...args: any[]) => any;
/** The parts of Mocha's runnables, suites and hook context that the plugin reads (Mocha 10 and 11). */
type Runnable = { fn?: Fn; file?: string; parent?: Suite; fullTitle(): string; error(err: unknown): void };
type Suite = {
  parent?: Suite;
  root?: boolean;
  suites: Suite[];
  fullTitle(): string;
  _beforeAll: Runnable[];
  _afterAll: Runnable[];
  _beforeEach: Runnable[];
  _afterEach: Runnable[];
};
type HookContext = { test: Runnable; currentTest?: Runnable };
/** Mocha's BDD globals, set on `global` for each test file it loads. */
type MochaGlobals = { describe(title: string, fn: () => void): Suite; before(fn: Fn): void; after(fn: Fn): void };

/** Where code of a test or a block runs: a transaction, a savepoint, or the enclosing block's. */
interface Scope {
  run<T>(fn: () => T): T;
  finish(): Promise<void>;
}

/**
 * The split form of a callback-shaped kit call (`runSuite`, `runInSavepoint`):
 * resolves once its body runs, with a way to run code in the body's context,
 * and `finish` lets the body return and waits for the call to end (rollback, failures).
 */
async function begin(call: (body: () => Promise<void>) => Promise<unknown>): Promise<Scope> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: (context: KitContext) => void;
  const inside = new Promise<KitContext>((resolve) => (entered = resolve));
  const done = call(() => {
    entered(currentContext() as KitContext);
    return gate;
  });
  const context = await Promise.race([inside, done.then(() => inside)]);
  return {
    run: (fn) => kitStorage.run(context, fn),
    finish: async () => {
      release();
      await done;
    },
  };
}

const NO_CONTEXT_FIX = 'Fix: call clientFor() and tx() in a test or in a beforeEach/afterEach hook (Mocha runs before/after hooks and module code outside any test), or make the block suite-scoped with useSuiteTransaction() so that its before/after hooks run in its transaction.';

function notInDescribeError(scope: 'suite' | 'test'): Error {
  const call = scope === 'suite' ? 'useSuiteTransaction()' : 'useTestTransactions()';
  return new Error(
    `${call} must be called at the top of a describe body, while Mocha loads the test file: Mocha's top level ` +
      'is the root suite that every file of a run shares, not a block of this file.\n' +
      `Fix: wrap the file's tests in a describe and call ${call} first in its body.`,
  );
}

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
  /**
   * Called at the top of a `describe` body: the block runs in ONE transaction,
   * its before/after hooks and all its tests, in declared order, each seeing
   * what the previous ones wrote; rolled back when the block ends, also when a
   * test or hook fails. `clientFor()` works in its `before` hook. Nested in
   * another suite-scoped block, it is a savepoint of that block's transaction.
   */
  useSuiteTransaction(): void;
  /**
   * Called at the top of a `describe` body inside a suite-scoped block: each
   * test of this block gets its own savepoint, rolled back after the test
   * (test scope is the default elsewhere).
   */
  useTestTransactions(): void;
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
 * module code run outside any test, except in a block made suite-scoped with
 * `useSuiteTransaction()`, whose hooks and tests share one transaction. After each test file (also without
 * `--parallel`, where all files share one process and one database) the
 * database must hold no rows and have the template's schema; a leak fails the
 * root `after all` hook, naming the file.
 *
 * @param options - the global setup's options (`migrate`, `seed`...) and the variable the app reads its database URL from (default `DATABASE_URL`).
 * @example
 * ```js
 * module.exports = createMochaPlugin({
 *   connect: () => require('../src/db'), // built from process.env.DATABASE_URL, the worker database
 *   createApp: (db, override) => express().use(override).use(require('../app')),
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
  let current: Scope | undefined;
  let file: string | undefined; // whose tests ran since the last check
  const problems: Error[] = [];
  const ours = new WeakSet<Fn>();
  /** The scope each block chose (useSuiteTransaction / useTestTransactions); a block without one takes its parent's. */
  const scopes = new WeakMap<Suite, 'suite' | 'test'>();
  /** The suite-scoped blocks running now, outermost first. */
  const blocks = new Map<Suite, Scope>();

  const scopeOf = (suite: Suite | undefined): 'suite' | 'test' => {
    for (; suite; suite = suite.parent) {
      const scope = scopes.get(suite);
      if (scope) return scope;
    }
    return 'test';
  };
  const blockOf = (suite: Suite | undefined): Scope | undefined => {
    for (; suite; suite = suite.parent) {
      const block = blocks.get(suite);
      if (block) return block;
    }
    return undefined;
  };

  /**
   * `fn` as Mocha calls it, inside the scope `where()` gives when it is called;
   * same arity, and `done` returns outside it (mocha#4662).
   */
  const within = (fn: Fn | undefined, where: () => Scope | undefined): Fn | undefined => {
    if (!fn || ours.has(fn)) return fn;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'function') args[0] = AsyncResource.bind(args[0] as Fn);
      const scope = where();
      return scope ? scope.run(() => fn.apply(this, args)) : fn.apply(this, args);
    };
    ours.add(Object.defineProperty(wrapped, 'length', { value: fn.length }));
    return wrapped;
  };
  const inTest = (fn: Fn | undefined) => within(fn, () => current);
  /** Each before/after hook of `suite` and of the blocks inside it runs in the innermost suite-scoped block around it. */
  const wrapAllHooks = (suite: Suite): void => {
    for (const hook of [...suite._beforeAll, ...suite._afterAll]) hook.fn = within(hook.fn, () => blockOf(suite));
    for (const child of suite.suites) wrapAllHooks(child);
  };
  /**
   * Ends the blocks that Mocha left without running their `after` hook (a
   * failed `after` hook before it stops the others): the code about to run in
   * `suite` is not theirs. Innermost first; what they report fails the root `after all` hook.
   */
  const endLeftBlocks = async (suite: Suite | undefined): Promise<void> => {
    const inside = new Set<Suite>();
    for (let s = suite; s; s = s.parent) inside.add(s);
    for (const [block, scope] of [...blocks].reverse()) {
      if (inside.has(block)) continue;
      blocks.delete(block);
      await scope.finish().catch((error: Error) => problems.push(error));
    }
  };

  /** Registers the `before`/`after` hooks of a suite-scoped block in the block being declared. */
  const declareScope = (scope: 'suite' | 'test'): void => {
    const mocha = globalThis as unknown as Partial<MochaGlobals>;
    if (typeof mocha.describe !== 'function' || typeof mocha.before !== 'function' || typeof mocha.after !== 'function') {
      throw notInDescribeError(scope);
    }
    // Mocha has no "current suite" API: an empty block declared here names it, and is removed (Mocha 10 and 11).
    const probe = mocha.describe('', () => {});
    const suite = probe.parent as Suite;
    suite.suites.splice(suite.suites.indexOf(probe), 1);
    if (suite.root) throw notInDescribeError(scope);
    scopes.set(suite, scope);
    if (scope === 'test') return;
    const start = async () => {
      // The block's own after hooks, also those declared below this line, run before the one that ends it.
      suite._afterAll.sort((a, b) => Number(a.fn === end) - Number(b.fn === end));
      await endLeftBlocks(suite.parent);
      const kit = theKit();
      const enclosing = blockOf(suite.parent);
      const open = () => begin((body) => kit.runSuite(suite.fullTitle(), body, { owner: suite }));
      blocks.set(suite, await (enclosing ? enclosing.run(open) : open()));
      wrapAllHooks(suite);
    };
    const end = async () => {
      const block = blocks.get(suite);
      blocks.delete(suite);
      await block?.finish();
    };
    ours.add(start).add(end);
    mocha.before(start);
    // First of the block's before hooks, also of those declared above this line.
    const hooks = suite._beforeAll;
    hooks.unshift(...hooks.splice(hooks.findIndex((hook) => hook.fn === start), 1));
    mocha.after(end);
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
      await endLeftBlocks(test.parent);
      if (file !== undefined && file !== (test.file ?? '')) await checkFile();
      file = test.file ?? '';
      test.fn = inTest(test.fn);
      for (let suite = test.parent; suite; suite = suite.parent) {
        for (const hook of [...suite._beforeEach, ...suite._afterEach]) hook.fn = inTest(hook.fn);
      }
      const block = blockOf(test.parent);
      if (!block) current = await theKit().startTest(test.fullTitle());
      // Inside a suite-scoped block: its own tests share the block's transaction, in declared order...
      else if (scopeOf(test.parent) === 'suite') current = { run: block.run, finish: async () => {} };
      // ...and a test-scoped block nested in it gives each of its tests a savepoint.
      else current = await block.run(() => begin((body) => theKit().runInSavepoint(test.fullTitle(), body, { owner: test })));
    },
    async afterEach() {
      const started = current;
      current = undefined;
      // Fails the test, not the hook: a failed root hook would skip every later test of the run.
      await started?.finish().catch((error: unknown) => (this as HookContext).test.error(error));
    },
    async afterAll() {
      await endLeftBlocks(undefined);
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
    useSuiteTransaction: () => declareScope('suite'),
    useTestTransactions: () => declareScope('test'),
    clientFor: (role) => theKit().clientFor(role),
    tx: () => theKit().tx(),
    kit: theKit,
  };
}

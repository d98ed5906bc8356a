/**
 * The Vitest 4.1 adapter of the kit: fixtures, and an aroundEach hook that
 * runs each test inside its shared transaction (FileKit does the work).
 *
 * @example
 * ```ts
 * import { createSharedSessionTest } from './src/testing/vitest.ts';
 * export const test = createSharedSessionTest(wiring);
 * ```
 *
 * @packageDocumentation
 */
import type { Sequelize } from 'sequelize';
import type { AxiosInstance } from 'axios';
import { aroundEach, test as baseTest, TestRunner } from 'vitest';
import { currentContext } from './cls.ts';
import { workerDatabaseUrl } from './databases.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkWorkerDatabase } from './schema-fingerprint.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { FileKit, type SharedSessionWiring, type SharedTransaction } from './file-kit.ts';

export { RunningTests } from './running-tests.ts';
export type { SharedSessionWiring, SharedTransaction } from './file-kit.ts';

// One literal, so the docs check finds the FAQ's quote of it.
const NO_CONTEXT_FIX = "Fix: import `test` from your fixtures module in this file (it registers the hook when imported); with Vitest's `isolate: false`, also list the kit's setup file (`sequelize-shared-session/vitest-setup`) in `setupFiles`, so the hook is registered for every file.";

/**
 * The heart of the adapter. aroundEach (not a fixture) because only here does
 * the test body run *inside* the callback, and so inside the AsyncLocalStorage
 * context that carries the transaction to every query (Vitest 4.1+).
 * runTest() resolves even when the test fails or times out, so the rollback
 * always runs; a timed-out body that keeps going finds its session ended.
 *
 * The hook takes `kit` from the test's own fixtures, so when it is registered
 * twice in a file (two fixtures modules, or the setup file and an import) the
 * first runs the test in its transaction and the second only passes through.
 */
async function kitHook(
  runTest: () => Promise<void>,
  // `kitFileCheck` is named so that Vitest sets up the per-file check in every file that uses the kit.
  { kit, kitFileCheck, task }: { kit?: FileKit<{ sequelize: Sequelize }, string>; kitFileCheck?: string; task: VitestTask },
): Promise<void> {
  const context = currentContext();
  if (context?.scopeOwner === task) return runTest();
  if (!kit || !kitFileCheck) {
    // A test of another builder (or of Vitest's own `test`) in a file that does not use the kit runs as it is.
    if (filesWithKit.has(task.file.filepath)) throw plainVitestTestError(task.name);
    return runTest();
  }
  const options = { concurrent: task.concurrent === true, owner: task };
  if (!context?.session) return kit.runTest(task.name, runTest, options);
  // Inside a suite-scoped block: its own tests share the block's transaction, in declared order...
  if (scopeOf(task) === 'suite') {
    if (task.concurrent) throw concurrentInSuiteScopeError(task.name);
    return runTest();
  }
  // ...and a test-scoped block nested in it gives each of its tests a savepoint.
  await kit.runInSavepoint(task.name, runTest, options);
}

/** The part of a Vitest task the hooks read. */
interface VitestTask {
  name: string;
  concurrent?: boolean;
  suite?: VitestSuite;
  file: { filepath: string };
}
interface VitestSuite {
  name: string;
  suite?: VitestSuite;
  shuffle?: boolean;
  concurrent?: boolean;
}

/**
 * What {@link useSuiteTransaction} needs of the kit's `test`: its `aroundAll`.
 *
 * @example
 * ```ts
 * const hooks: SuiteHooks = test;
 * ```
 */
export interface SuiteHooks {
  /** Vitest's aroundAll on the kit's test builder (it resolves the builder's file fixtures). */
  readonly aroundAll: unknown;
}

type KitAroundAll = (fn: (runSuite: () => Promise<void>, fixtures: { kit: FileKit<{ sequelize: Sequelize }, string> }, suite: VitestSuite) => Promise<void>) => void;

/** Calls the builder's aroundAll as a method: Vitest reads the builder's fixtures from `this`. */
function aroundAllOf(test: SuiteHooks): KitAroundAll {
  return (fn) => (test.aroundAll as KitAroundAll).call(test, fn);
}

/** The scope of each block that chose one; a block without one takes its parent's. */
const scopes = new WeakMap<object, 'suite' | 'test'>();

function scopeOf(task: VitestTask): 'suite' | 'test' {
  for (let suite = task.suite; suite; suite = suite.suite) {
    const scope = scopes.get(suite);
    if (scope) return scope;
  }
  // A top-level test has no suite: the file is its block (useSuiteTransaction at top level).
  return scopes.get(task.file) ?? 'test';
}

function concurrentInSuiteScopeError(testName: string): SharedSessionError {
  return new SharedSessionError(
    `Concurrent tests cannot share a suite-scoped transaction: "${testName}" is marked concurrent inside a block ` +
      'that runs in one transaction, where tests see each other\'s writes in their declared order.\n' +
      'Fix: remove `.concurrent` inside the block, or give the block test scope (`useTestTransactions(test)`). ' +
      'Under `--sequence.concurrent`, call `useSuiteTransaction(test)` before the block\'s tests: the tests declared after it run one at a time.',
    TESTING_SECTIONS.concurrentInSuiteScope,
  );
}

/**
 * Makes the enclosing `describe` block (or the whole file, at top level) run
 * in ONE transaction: its beforeAll/afterAll hooks and all its tests, one at a
 * time in their declared order (also under `describe.concurrent` or
 * `--sequence.concurrent`; a test marked `.concurrent` itself is refused),
 * each seeing what the previous ones wrote; rolled back when
 * the block ends, also when a test or hook fails. For suites whose tests build
 * on each other, and for a login in beforeAll shared by the block's tests.
 * Nested in another suite-scoped block, it is a savepoint of that block's transaction.
 *
 * @example
 * ```ts
 * describe('a chained block', () => {
 *   useSuiteTransaction(test);
 *   test.beforeAll(async ({ kit }) => { staff = await kit.clientFor('staff'); });
 *   test('creates', async () => { ... });
 *   test('reads what the previous test created', async () => { ... });
 * });
 * ```
 */
export function useSuiteTransaction(test: SuiteHooks): void {
  // The tests declared after this call run one at a time, even where the block
  // would make them concurrent (describe.concurrent, or --sequence.concurrent):
  // they share one transaction, in declared order. A test marked `.concurrent`
  // itself still is, and is refused by the kit's hook.
  // In place: the block's collector creates its tests from this very object.
  const options = TestRunner.getCurrentSuite()?.options;
  if (options) Object.assign(options, { concurrent: false, sequential: true });
  // Vitest reads a hook's fixtures from its destructuring pattern.
  aroundAllOf(test)(async (runSuite, { kit }, suite) => {
    scopes.set(suite, 'suite');
    // Tests that build on each other run in their declared order, even with --sequence.shuffle.
    (suite as VitestSuite).shuffle = false;
    // A concurrent block (describe.concurrent, or any describe under --sequence.concurrent) runs beside
    // its sibling tests, each on its own transaction, its requests routed by the block's identity.
    await kit.runSuite(suite.name, runSuite, { owner: suite, concurrent: (suite as VitestSuite).concurrent === true });
  });
}

/**
 * Gives each test of the enclosing block its own rolled-back savepoint when the
 * block sits inside a suite-scoped one (test scope is the default elsewhere).
 *
 * @example
 * ```ts
 * describe('independent checks inside a chained block', () => {
 *   useTestTransactions(test);
 *   test('sees the block\'s rows, and its own are undone after it', async () => { ... });
 * });
 * ```
 */
export function useTestTransactions(test: SuiteHooks): void {
  // eslint-disable-next-line no-empty-pattern
  aroundAllOf(test)(async (runSuite, {}, suite) => {
    scopes.set(suite, 'test');
    await runSuite();
  });
}

let hooksRegistered = false;

/**
 * Registers the kit's aroundEach hook in the file being collected, once a
 * fixtures module was imported in this worker. Call it from a Vitest
 * `setupFiles` entry to run with `isolate: false`, where the fixtures module
 * is imported only once per worker: ./vitest-setup.ts does exactly that.
 *
 * @example
 * ```ts
 * // vitest.config.ts: test: { isolate: false, setupFiles: ['./src/testing/vitest-setup.ts'] }
 * registerSharedSessionHooks();
 * ```
 */
export function registerSharedSessionHooks(): void {
  if (hooksRegistered) aroundEach(kitHook);
}

/** Test files that imported a fixtures module of the kit (where a plain Vitest `test` is a mistake). */
const filesWithKit = new Set<string>();

function notIsolatedError(file: string): SharedSessionError {
  return new SharedSessionError(
    `The kit hook is not registered in this file: ${file} runs in a module graph shared with another file ` +
      '(Vitest `isolate: false` or `--no-isolate`), so the fixtures module was imported, and its aroundEach hook ' +
      'registered, in another file only. Its tests would run outside any test transaction.\n' +
      "Fix: list the kit's setup file in `setupFiles` (`sequelize-shared-session/vitest-setup`, or `vitest-setup.ts` of a copied kit), or keep `isolate: true` (the default) for the files that use the kit.",
    TESTING_SECTIONS.notIsolated,
  );
}

/** Says why a test has no kit context, from what Vitest knows of the running test. */
function diagnoseMissingContext(sql: string): SharedSessionError | undefined {
  const test = TestRunner.getCurrentTest();
  if (!test) return undefined;
  const file = test.file.filepath;
  if (!filesWithKit.has(file)) return notIsolatedError(file);
  // Concurrent tests of a file run at once, and Vitest's current test is whichever started or ended
  // last: it may not be the one whose code sent the query, so no test is named.
  if (test.concurrent) return undefined;
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
 * Builds the Vitest `test` function of the shared-session pattern (Vitest 4.1:
 * builder `.extend` and `aroundEach`). Fixtures:
 *
 * - `tx`: the test's shared transaction (begun for every test by the kit's
 *   aroundEach hook, whether or not the test names it); rolled back after the
 *   test, also when it fails or times out;
 * - `clientFor(role?)`: an axios instance for the in-process app, signed in as
 *   a fresh user of `role` (anonymous without one), carrying the test's identity;
 * - `app`: what `wiring.connect` returned, for the worker's database;
 * - `server`: the in-process server; `databaseUrl`: the worker's database.
 *
 * `app` and `server` are built once per worker and serve each of its files
 * (with Vitest's default `isolate: true` a worker runs one file); after each
 * file the worker's database must still hold the template's rows and schema.
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
    // The kit is built once per worker: the app, its connections and its server
    // serve every file of the worker (with `isolate: true`, Vitest's default, a
    // worker runs one file, so that is once per file). Reusing them saves each
    // later file new connections (password check, cold server caches) and the app's set-up.
    // Vitest reads a fixture's dependencies from its destructuring pattern, so "none" is `{}`.
    // eslint-disable-next-line no-empty-pattern
    .extend('databaseUrl', { scope: 'worker' }, async ({}) => workerDatabaseUrl())
    .extend('kit', { scope: 'worker' }, async ({ databaseUrl }, { onCleanup }) => {
      const kit = await FileKit.open(wiring, databaseUrl, { explainMissingContext: diagnoseMissingContext, noContextFix: NO_CONTEXT_FIX });
      onCleanup(() => kit.close());
      return kit;
    })
    // The per-file check, set up by the kit's hook for every test: after the file's
    // last test, its database must hold the template's rows and schema (DDL is not a row).
    .extend('kitFileCheck', { scope: 'file' }, async ({ databaseUrl, kit }, { onCleanup }) => {
      // On an idle connection of the app's pool: no new connection per file. A damaged database is
      // cloned again, which ends the pool's connections to it; Sequelize drops ended connections
      // from its pool, so the worker's next file gets new ones (kit.schema-damage.process.test.ts
      // checks it with isolate: false).
      onCleanup(() => kit.withIdleConnection((connection) => checkWorkerDatabase(databaseUrl, { referenceTables, connection })));
      return databaseUrl;
    })
    .extend('app', { scope: 'worker' }, ({ kit }) => kit.app)
    .extend('server', { scope: 'worker' }, ({ kit }) => kit.server)
    .extend('tx', async ({ kit, task }): Promise<SharedTransaction> => {
      if (!currentContext()?.session && !filesWithKit.has(task.file.filepath)) throw notIsolatedError(task.file.filepath);
      return kit.tx();
    })
    .extend('clientFor', async ({ kit, task }) => {
      // As for `tx`: in a shared module graph without the setup file, name that cause, not "No shared-session context".
      if (!currentContext()?.session && !filesWithKit.has(task.file.filepath)) throw notIsolatedError(task.file.filepath);
      return (role?: Role): Promise<AxiosInstance> => kit.clientFor(role);
    });

  // In the file that imports this module first; with a shared module graph
  // (isolate: false) the setup file registers the hook in every later file.
  const file = TestRunner.getCurrentSuite()?.file?.filepath;
  if (file) filesWithKit.add(file);
  aroundEach(kitHook);
  hooksRegistered = true;

  return refuseAutoFixtures(test);
}

function plainVitestTestError(testName: string): SharedSessionError {
  return new SharedSessionError(
    `A test declared with Vitest's own test runs in a file that uses the kit: "${testName}" was declared with ` +
      "`test` (or `it`) imported from 'vitest', so the kit's fixtures are missing and it cannot open the test's transaction.\n" +
      "Fix: import `test` from your fixtures module, not from 'vitest', in every file that imports the fixtures module.",
    TESTING_SECTIONS.plainVitestTest,
  );
}

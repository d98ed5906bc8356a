/**
 * The Jest 29/30 (jest-circus) adapter of the kit. Jest runs a test file in a
 * vm context with its own module registry, and only its test environment sees
 * each test start and end. So the work is split in two:
 *
 * - {@link sharedSessionEnvironment} (the environment, outer realm) gives the
 *   file its worker database, begins each test's transaction on `test_started`,
 *   runs the test body and its beforeEach/afterEach hooks inside the test's
 *   AsyncLocalStorage context, and rolls back on `test_done`;
 *   in a block that calls {@link useSuiteTransaction}, one transaction covers
 *   the block's hooks and tests instead;
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
import { FileKit, noContextError, type SharedSessionWiring, type SharedTransaction } from './file-kit.ts';
import { createGlobalSetup, type GlobalSetupOptions } from './global-setup.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkWorkerDatabase } from './schema-fingerprint.ts';
import type { TestSession } from './session.ts';

export type { SharedSessionWiring, SharedTransaction } from './file-kit.ts';

const NO_CONTEXT_FIX = "Fix: call this from a test or a beforeEach/afterEach hook (the kit's Jest environment runs those inside the test's transaction), " +
  'or from a beforeAll/afterAll hook of a block that calls useSuiteTransaction().';
const STORAGE = Symbol.for('sequelize-shared-session.storage');
const DATABASE_URL = Symbol.for('sequelize-shared-session.jest.database-url');
const KIT = Symbol.for('sequelize-shared-session.jest.kit');
const TEARDOWN = Symbol.for('sequelize-shared-session.jest.teardown');
/** Marks the hooks that {@link useSuiteTransaction}, {@link useTestTransactions} and the setup file register. */
const SCOPE_HOOK = Symbol.for('sequelize-shared-session.jest.scope-hook');
type ScopeHook = 'suite:begin' | 'suite:end' | 'test' | 'kit:close';
type Fn = ((this: unknown, ...args: unknown[]) => unknown) & { [SCOPE_HOOK]?: ScopeHook };
type Holder = { fn: Fn };
type Block = { name: string; parent?: Block };
type CircusHook = Holder & { type: string; parent: DescribeBlock };
type DescribeBlock = Block & { hooks: CircusHook[]; children: unknown[] };
type CircusTest = Block & Holder & { errors: unknown[]; parent: DescribeBlock };
type CircusEvent = {
  name: string; concurrent?: boolean; testName?: string; test?: CircusTest; hook?: CircusHook; describeBlock?: DescribeBlock;
  fn?: Fn;
};
type CircusState = { currentDescribeBlock?: DescribeBlock };
/** What runs a test's hooks and body in its context, and ends what the test began. */
type TestScope = { run<T>(fn: () => T): T; finish(): Promise<void> };
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

function concurrentInSuiteScopeError(testName: string): SharedSessionError {
  return new SharedSessionError(
    `Concurrent tests cannot share a suite-scoped transaction: "${testName}" is marked concurrent inside a block ` +
      'that runs in one transaction, where tests see each other\'s writes in their declared order.\n' +
      'Fix: remove `.concurrent` (Jest\'s concurrent tests are refused in every file that uses the kit; files still run in parallel in Jest workers).',
    TESTING_SECTIONS.concurrentInSuiteScope,
  );
}

/**
 * Opens a savepoint of `outer`'s transaction for the split lifecycle of Jest:
 * it is rolled back (and what the kit found inside it thrown) by `finish`.
 */
async function startSavepoint(kit: FileKit<{ sequelize: Sequelize }, string>, outer: TestScope, name: string): Promise<TestScope> {
  let entered!: () => void;
  let release: (() => void) | undefined;
  const inside = new Promise<void>((resolve) => { entered = resolve; });
  const done = outer.run(() => kit.runInSavepoint(name, () => {
    entered();
    return new Promise<void>((resolve) => { release = resolve; });
  }));
  await Promise.race([inside, done]);
  let finished = false;
  return {
    run: (fn) => outer.run(fn),
    finish: async () => {
      if (finished) return;
      finished = true;
      release?.();
      await done;
    },
  };
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
    #started?: TestScope;
    #wrapped: [Holder, Fn][] = [];
    /** The scope each block chose (useSuiteTransaction/useTestTransactions); a block without one takes its parent's. */
    #marks = new WeakMap<Block, 'suite' | 'test'>();
    /** The transactions (or savepoints) of the suite-scoped blocks running now. */
    #scopes = new Map<Block, TestScope>();

    /** Shares the kit's AsyncLocalStorage with the test realm and points `DATABASE_URL` at the worker database. */
    override async setup(): Promise<void> {
      await super.setup();
      const global = this.global as Globals;
      global[STORAGE] = kitStorage;
      global.process.env.DATABASE_URL = String((global[DATABASE_URL] = await workerDatabaseUrl()));
    }

    /** jest-circus calls this for every event (and awaits it, except for `add_test` and `add_hook`). */
    handleTestEvent(event: CircusEvent, state?: CircusState): Promise<void> | void {
      if (event.name === 'add_hook') {
        const mark = event.fn?.[SCOPE_HOOK];
        if (state?.currentDescribeBlock && (mark === 'suite:begin' || mark === 'test')) {
          this.#marks.set(state.currentDescribeBlock, mark === 'test' ? 'test' : 'suite');
        }
        return;
      }
      if (event.name === 'add_test' && event.concurrent) {
        const testName = event.testName ?? '';
        throw this.#markOf(state?.currentDescribeBlock) === 'suite' ? concurrentInSuiteScopeError(testName) : concurrentError(testName);
      }
      return this.#onEvent(event);
    }

    #kit(): FileKit<{ sequelize: Sequelize }, string> | undefined {
      return (this.global as Globals)[KIT] as FileKit<{ sequelize: Sequelize }, string> | undefined;
    }

    /** The scope the nearest block that chose one chose. */
    #markOf(block: Block | undefined): 'suite' | 'test' | undefined {
      for (; block; block = block.parent) {
        const mark = this.#marks.get(block);
        if (mark) return mark;
      }
      return undefined;
    }

    /** The transaction of the nearest suite-scoped block running around `block`. */
    #scopeAround(block: Block | undefined): TestScope | undefined {
      for (; block; block = block.parent) {
        const scope = this.#scopes.get(block);
        if (scope) return scope;
      }
      return undefined;
    }

    async #onEvent({ name, test, hook, describeBlock }: CircusEvent): Promise<void> {
      const kit = this.#kit();
      if (name === 'run_describe_start' && describeBlock && this.#marks.get(describeBlock) === 'suite') {
        keepDeclaredOrder(describeBlock);
      } else if (name === 'hook_start' && hook?.fn[SCOPE_HOOK] === 'suite:begin') {
        hook.fn = this.#beginFn(hook.parent);
      } else if (name === 'hook_start' && hook?.fn[SCOPE_HOOK] === 'suite:end') {
        hook.fn = this.#endFn(hook.parent);
      } else if (name === 'hook_start' && hook && /All$/.test(hook.type)) {
        // A beforeAll/afterAll hook inside a suite-scoped block runs in the block's transaction.
        const scope = this.#scopeAround(hook.parent);
        if (scope) this.#wrap(hook, scope);
      } else if ((name === 'hook_success' || name === 'hook_failure') && hook && /All$/.test(hook.type)) {
        this.#unwrap();
      } else if (name === 'test_started' && kit && test) {
        try {
          this.#started = await this.#startTest(kit, test);
        } catch (error) {
          test.errors.push(error); // Jest then skips the hooks and the body
        }
      } else if (this.#started && ((name === 'hook_start' && /Each$/.test(hook!.type)) || name === 'test_fn_start')) {
        this.#wrap((hook ?? test)!, this.#started);
      } else if (name === 'test_done' && test) {
        this.#unwrap();
        const started = this.#started;
        this.#started = undefined;
        await started?.finish().catch((error: unknown) => test.errors.push(error));
      } else if (name === 'run_describe_finish' && describeBlock) {
        // Safety net: a block's transaction never outlives the block (its afterAll hook ends it).
        const scope = this.#scopes.get(describeBlock);
        this.#scopes.delete(describeBlock);
        await scope?.finish().catch(() => undefined);
      }
    }

    /**
     * A test outside suite scope gets its own transaction; a test of a
     * suite-scoped block runs in the block's; a test of a test-scoped block
     * nested in a suite-scoped one gets a savepoint of it.
     */
    async #startTest(kit: FileKit<{ sequelize: Sequelize }, string>, test: CircusTest): Promise<TestScope> {
      const scope = this.#scopeAround(test.parent);
      if (!scope) return kit.startTest(fullName(test));
      if (this.#markOf(test.parent) === 'test') return startSavepoint(kit, scope, fullName(test));
      // What the kit finds during this test (a request that left its transaction open) fails this test.
      return withFailuresOf(scope, scope.run(() => kit.session()));
    }

    /** The body of the block's first beforeAll hook: begins its transaction, or a savepoint of the enclosing block's. */
    #beginFn(block: DescribeBlock): Fn {
      const fn: Fn = async () => {
        const kit = this.#kit();
        if (!kit) throw noContextError(NO_CONTEXT_FIX);
        const outer = this.#scopeAround(block.parent);
        const name = fullName(block) || 'the whole file';
        this.#scopes.set(block, outer ? await startSavepoint(kit, outer, name) : await kit.startTest(name, { owner: block }));
      };
      fn[SCOPE_HOOK] = 'suite:begin';
      return fn;
    }

    /** The body of the block's last afterAll hook: rolls its transaction back (bounded) and throws what the kit found. */
    #endFn(block: DescribeBlock): Fn {
      const fn: Fn = async () => {
        const scope = this.#scopes.get(block);
        this.#scopes.delete(block);
        await scope?.finish();
      };
      fn[SCOPE_HOOK] = 'suite:end';
      return fn;
    }

    /** Runs `holder.fn` inside the test's context; keeps `fn.length`, which Jest reads to pass `done`. */
    #wrap(holder: Holder, started: TestScope): void {
      const fn = holder.fn;
      this.#wrapped.push([holder, fn]);
      holder.fn = fn.length > 0
        ? function (this: unknown, done: unknown) { return started.run(() => fn.call(this, done)); }
        : function (this: unknown) { return started.run(() => fn.call(this)); };
    }

    #unwrap(): void {
      for (const [holder, fn] of this.#wrapped.splice(0)) holder.fn = fn;
    }
  }
  return SharedSessionEnvironment;
}

/** A test of a suite-scoped block: it runs in the block's transaction and fails with what the kit found during it. */
function withFailuresOf(scope: TestScope, session: TestSession): TestScope {
  const before = session.failures.length;
  return {
    run: (fn) => scope.run(fn),
    finish: async () => {
      const [first] = session.failures.splice(before);
      if (first) throw first;
    },
  };
}

/**
 * Before a suite-scoped block runs: its afterAll hook that ends the
 * transaction goes after the block's other afterAll hooks (and, at file
 * level, before the kit's own, which closes the kit), and its tests keep their
 * declared order under `--randomize`.
 */
function keepDeclaredOrder(block: DescribeBlock): void {
  const last = (hook: CircusHook): number => ({ 'suite:end': 1, 'kit:close': 2 } as Record<string, number>)[hook.fn[SCOPE_HOOK] ?? ''] ?? 0;
  block.hooks = [...block.hooks].sort((a, b) => last(a) - last(b)); // a stable sort
  // jest-circus shuffles `children` in place, then assigns it: hand it a copy, and ignore the assignment.
  const children = [...block.children];
  Object.defineProperty(block, 'children', { configurable: true, enumerable: true, get: () => [...children], set: () => undefined });
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
 *   createApp: (_db, override) => express().use(override).use(require('../app')),
 *   signIn: async (db, role) => ({ authorization: `Bearer ${await tokenForNewUser(db, role)}` }),
 * });
 * ```
 */
export function useSharedSession<AppContext extends { sequelize: Sequelize }, Role extends string>(
  wiring: SharedSessionWiring<AppContext, Role>,
): JestSharedSession<AppContext, Role> {
  const global = testRealm('useSharedSession');
  const databaseUrl = global[DATABASE_URL] as string;
  const noContextFix = NO_CONTEXT_FIX;
  let kit: FileKit<AppContext, Role> | undefined;
  global.beforeAll(async () => {
    global[KIT] = kit = await FileKit.open(wiring, databaseUrl, { noContextFix });
  }, 60_000);
  global.afterAll(marked('kit:close', async () => {
    global[KIT] = undefined;
    try { await kit?.close(); } finally {
      await checkWorkerDatabase(databaseUrl, { referenceTables: wiring.referenceTables ?? DEFAULT_REFERENCE_TABLES });
    }
  }), 60_000);
  const open = (): FileKit<AppContext, Role> => {
    if (!kit) throw noContextError(noContextFix); // module code, or a beforeAll before the kit's
    return kit;
  };
  return { clientFor: (role) => open().clientFor(role), tx: () => open().tx(), get app() { return open().app; } };
}

function marked(mark: ScopeHook, fn: () => Promise<void>): Fn {
  return Object.assign(fn, { [SCOPE_HOOK]: mark });
}

type HookGlobals = Globals & Record<'beforeAll' | 'afterAll', (fn: Fn, timeout?: number) => void>;

const ENVIRONMENT_FIX = "Fix: set `testEnvironment: 'sequelize-shared-session/jest-environment'` in the Jest config (or a class made with sharedSessionEnvironment()).";

function testRealm(what: 'useSharedSession' | 'useSuiteTransaction' | 'useTestTransactions'): HookGlobals {
  const global = globalThis as unknown as HookGlobals;
  if (global[DATABASE_URL]) return global;
  if (what === 'useSharedSession') throw new SharedSessionError(
    "The kit's Jest environment is not set: useSharedSession() runs in a file whose testEnvironment does not come from the kit, " +
      'so nothing would run its tests and hooks inside their transactions (AsyncLocalStorage.enterWith() in a beforeEach does ' +
      'not reach the test body), and what they write would be committed.\n' + ENVIRONMENT_FIX,
    TESTING_SECTIONS.jestEnvironmentMissing,
  );
  throw new SharedSessionError(
    `The kit's Jest environment is not set: ${what}() runs in a file whose testEnvironment does not come from the kit, ` +
      "and only the kit's environment can run a block's hooks and tests inside the block's transaction.\n" + ENVIRONMENT_FIX,
    TESTING_SECTIONS.jestEnvironmentMissing,
  );
}

/**
 * Call first in a `describe` body (or at the top of a test file, for the whole
 * file) to run the block in ONE transaction: its beforeAll/afterAll hooks and
 * all its tests, in their declared order (also under `--randomize`), each
 * seeing what the previous ones wrote; rolled back when the block ends, also
 * when a test or hook fails. For suites whose tests build on each other, and
 * for a login in beforeAll shared by the block's tests. Nested in another
 * suite-scoped block, it is a savepoint of that block's transaction.
 *
 * @example
 * ```js
 * const kit = require('./kit');
 * const { useSuiteTransaction } = require('sequelize-shared-session/jest');
 *
 * describe('a chained block', () => {
 *   useSuiteTransaction();
 *   let admin;
 *   beforeAll(async () => { admin = await kit.clientFor('admin'); }); // one login, inside the block's transaction
 *   test('creates', async () => { expect((await admin.post('/notes', { title: 'chained' })).status).toBe(201); });
 *   test('reads what the previous test created', async () => { ... });
 * });
 * ```
 */
export function useSuiteTransaction(): void {
  const global = testRealm('useSuiteTransaction');
  // Placeholders: the kit's environment runs its own code in their place, for the block they belong to.
  global.beforeAll(marked('suite:begin', async () => undefined), 30_000);
  global.afterAll(marked('suite:end', async () => undefined), 30_000);
}

/**
 * Call first in a `describe` body nested in a suite-scoped block to give each
 * of its tests a savepoint of its own, rolled back after the test: they are
 * independent again, and still see the outer block's rows (test scope is the
 * default elsewhere).
 *
 * @example
 * ```js
 * describe('independent checks inside a chained block', () => {
 *   useTestTransactions();
 *   test("sees the block's rows, and its own are undone after it", async () => { ... });
 * });
 * ```
 */
export function useTestTransactions(): void {
  testRealm('useTestTransactions').beforeAll(marked('test', async () => undefined));
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

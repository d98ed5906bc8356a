/**
 * The node:test adapter of the kit (Node 20, 22 and 24): a wrapped `test`/`it` that
 * runs each test body inside its shared transaction (FileKit does the work).
 *
 * node:test runs hooks outside the test body's async context (an
 * `AsyncLocalStorage.enterWith()` in `beforeEach` does not reach the body), so
 * the transaction is opened around the body itself; subtests made with
 * `t.test()` run inside their parent's body, and share its transaction.
 * node:test runs each test and hook in the async context it was declared in:
 * a suite-scoped `describe` (`{ suiteTransaction: true }`) declares its tests
 * and hooks inside a context that carries the block's one transaction.
 *
 * @example
 * ```js
 * const { useSharedSession } = require('sequelize-shared-session/node-test');
 * const { test, describe, clientFor, app } = useSharedSession(wiring);
 * ```
 *
 * @packageDocumentation
 */
import { after as nodeAfter, before as nodeBefore, describe as nodeDescribe, it as nodeIt, test as nodeTest, type TestContext } from 'node:test';
import type { Sequelize } from 'sequelize';
import type { AxiosInstance } from 'axios';
import { currentContext, kitStorage, type KitContext } from './cls.ts';
import { workerDatabaseUrl } from './databases.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { FileKit, noContextError, type SharedSessionWiring, type SharedTransaction } from './file-kit.ts';
import { DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
import { checkWorkerDatabase } from './schema-fingerprint.ts';

export type { SharedSessionWiring, SharedTransaction } from './file-kit.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- node:test's functions take many overloads
type Fn = (...args: any[]) => any;

const NO_CONTEXT_FIX = 'Fix: call clientFor() and tx() in the body of a test declared with the `test`/`it` that useSharedSession(wiring) returns (node:test hooks run outside the test\'s transaction).';

/** Gives `wrapper` the `length` of `fn`: node:test passes `done` to a function that declares two parameters. */
const sameArity = <F extends Fn>(fn: Fn, wrapper: F): F => Object.defineProperty(wrapper, 'length', { value: fn.length });

/** The `{ concurrency }` a test or suite is declared with, when it lets its children run at once. */
function concurrencyOf(args: unknown[]): unknown {
  const value = (args.find((a) => typeof a === 'object' && a !== null) as { concurrency?: unknown } | undefined)?.concurrency;
  return value === undefined || value === false || value === 1 ? undefined : value;
}

/** `{ concurrency }` on a test would run its subtests at once in its one transaction: refused when declared. */
function refuseConcurrentSubtests(args: unknown[]): void {
  const value = concurrencyOf(args);
  if (value === undefined) return;
  const name = args.find((a) => typeof a === 'string') ?? '<anonymous>';
  throw new SharedSessionError(
    `Concurrent subtests are refused: "${String(name)}" is declared with \`{ concurrency: ${String(value)} }\`, so its ` +
      "t.test() subtests would run at once inside its one transaction, where one subtest's savepoints and requests " +
      "would interleave with another's.\n" +
      'Fix: remove the option; to run tests at once, declare them in a `describe` with `{ concurrency }`: each test ' +
      'then has its own transaction.',
    TESTING_SECTIONS.nodeTestConcurrency,
  );
}

/** How many suites declared with `{ concurrency }` are being declared now: their tests run beside others. */
let concurrentSuites = 0;

/** A runner function (`test`, `it`, `describe`) whose callbacks pass through `wrap`, modifiers included. */
function wrapRunner<T extends Fn>(base: T, wrap: (fn: Fn, args: unknown[]) => Fn): T {
  const call = (method: Fn) => (...args: unknown[]) => method(...args.map((a) => (typeof a === 'function' ? wrap(a as Fn, args) : a)));
  return new Proxy(base, {
    apply: (target, _this, args: unknown[]) => call(target)(...args),
    get: (target, key) => (key === 'skip' || key === 'todo' || key === 'only' ? call(Reflect.get(target, key) as Fn) : Reflect.get(target, key)),
  });
}

/**
 * The scope each `describe` being declared now chose (`{ suiteTransaction: true | false }`), innermost last;
 * `undefined` for a block that chose none and takes its parent's.
 */
const declaring: ('suite' | 'test' | undefined)[] = [];

/** The scope a test declared now runs in: the innermost choice of its blocks (or of its file), else test scope. */
const declaredScope = (): 'suite' | 'test' => declaring.findLast((scope) => scope !== undefined) ?? fileScope;

/** `'suite'` once the file called `useSuiteTransaction()` (each file runs in a process of its own). */
let fileScope: 'suite' | 'test' = 'test';

/** The `suiteTransaction` option a `describe` is declared with. */
function scopeOption(args: unknown[]): 'suite' | 'test' | undefined {
  const value = (args.find((a) => typeof a === 'object' && a !== null) as { suiteTransaction?: unknown } | undefined)?.suiteTransaction;
  return value === undefined ? undefined : value ? 'suite' : 'test';
}

/** The hooks that open and end one suite-scoped block (a describe, or a whole file). */
interface BlockHooks {
  /** The async context its hooks and tests are declared in; it shows the block's transaction once open. */
  readonly context: KitContext;
  /** True when it runs beside other tests (declared in a describe with `{ concurrency }`). */
  readonly concurrent: boolean;
  /** The suite-scoped blocks it is declared in, outermost first. */
  readonly enclosing: readonly BlockHooks[];
  /** Begins the block's transaction (a savepoint of the enclosing block's, when nested), in the enclosing context. */
  open(): Promise<void>;
  /** Rolls the block back (bounded); throws what production would have shown. Idempotent. */
  close(): Promise<void>;
}

/** Opens a block with `runSuite`, whose body lasts from `open()` until `close()`. */
type SuiteRunner = (name: string, body: () => Promise<void>, options: { concurrent: boolean; owner: object }) => Promise<void>;

/** The suite-scoped blocks being declared now, innermost last (a file made suite-scoped stays first). */
const declaringBlocks: BlockHooks[] = [];

/** Suite-scoped blocks whose transaction is open, in the order they opened. */
const openBlocks: BlockHooks[] = [];

/**
 * Ends the open blocks that are not `keep` (the enclosing blocks of what starts now): node:test skips a
 * block's later after hooks, the kit's among them, when one fails, and runs its siblings one after the
 * other, so such a block has ended. Blocks running beside others (`{ concurrency }`) are left alone.
 */
async function closeEndedBlocks(keep: readonly BlockHooks[]): Promise<void> {
  for (const block of [...openBlocks].reverse()) {
    if (!keep.includes(block) && !block.concurrent) await block.close();
  }
}

function blockHooks(name: string, runSuite: () => SuiteRunner, concurrent: boolean): BlockHooks {
  const enclosing = [...declaringBlocks];
  let inside: KitContext | undefined;
  let release: (() => void) | undefined;
  let done: Promise<void> | undefined;
  const owner = {};
  // The block's hooks and tests capture this object when they are declared
  // (node:test runs each in the async context it was declared in); it shows
  // the block's context from open() on, and the ended session after close().
  const context: KitContext = {
    get values() {
      return inside?.values ?? new Map<string, unknown>();
    },
    get session() {
      return inside?.session;
    },
    get scopeOwner() {
      return inside?.scopeOwner;
    },
  } as KitContext;
  const block: BlockHooks = {
    context,
    concurrent,
    enclosing,
    async open() {
      await closeEndedBlocks(enclosing);
      let started!: () => void;
      const opened = new Promise<void>((resolve) => (started = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      done = runSuite()(name, async () => {
        inside = currentContext();
        started();
        await held;
      }, { concurrent, owner });
      await Promise.race([opened, done]);
      openBlocks.push(block);
    },
    async close() {
      if (!done) return;
      const ending = done;
      done = undefined;
      openBlocks.splice(openBlocks.indexOf(block) >>> 0, 1);
      release?.();
      await ending;
    },
  };
  return block;
}

function concurrentInSuiteScopeError(testName: string): SharedSessionError {
  return new SharedSessionError(
    `Concurrent tests cannot share a suite-scoped transaction: "${testName}" is marked concurrent inside a block ` +
      'that runs in one transaction, where tests see each other\'s writes in their declared order.\n' +
      'Fix: remove `{ concurrency }` from the describe blocks inside it, or give the block test scope (`{ suiteTransaction: false }`, or no option at top level).',
    TESTING_SECTIONS.concurrentInSuiteScope,
  );
}

/**
 * Runs a test or subtest body as node:test would (with a `done` callback when
 * it declares one), with a `t` whose `t.test()` subtests run inside this body,
 * and so in its transaction; then waits for those subtests, awaited or not.
 */
async function runBody(fn: Fn, t: TestContext): Promise<void> {
  const subtests: Promise<unknown>[] = [];
  const subtest: Fn = wrapRunner(t.test.bind(t) as Fn, asBody(runBody));
  const shared = new Proxy(t, {
    get: (target, key) => {
      if (key === 'test') return (...args: unknown[]) => subtests[subtests.push(subtest(...args)) - 1];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await (fn.length >= 2 ? new Promise((resolve, reject) => fn(shared, (error: unknown) => (error ? reject(error) : resolve(undefined)))) : fn(shared));
  for (let done = 0; done < subtests.length; done = subtests.length) await Promise.all(subtests.slice(done));
}

/** Wraps a user function into one of the same arity whose work is `run(fn, t)`. */
const asBody = (run: (fn: Fn, t: TestContext) => Promise<void>) => (fn: Fn, args: unknown[]) => {
  refuseConcurrentSubtests(args);
  return sameArity(fn, (t: TestContext, done?: (error?: unknown) => void) => {
    const result = run(fn, t);
    if (fn.length < 2 || !done) return result;
    result.then(() => done(), done);
  });
};

/**
 * Wires node:test to the kit for one test file, in the file's process: a
 * `before` hook gets the worker's database (one per process, since node --test
 * runs each file in its own), points `process.env[databaseUrlEnv]` at it
 * before `wiring.connect` loads the app, and opens the kit; an `after` hook
 * closes it and checks that the database holds no rows and has the template's
 * schema. The `test`/`it` it returns run each body (and its `t.test()`
 * subtests) inside the test's shared transaction, rolled back at the end.
 * Tests of a `describe` declared with `{ concurrency }` run at once, each in
 * its own transaction; `{ concurrency }` on a test (its subtests) is refused.
 * A `describe` declared with `{ suiteTransaction: true }` (or a whole file,
 * after `useSuiteTransaction()`) runs its hooks and tests in ONE transaction,
 * in declared order, rolled back when it ends (suite scope).
 *
 * @param databaseUrlEnv - the variable the app reads its database URL from; default `DATABASE_URL`.
 * @example
 * ```js
 * const { test, describe, before, clientFor, app } = useSharedSession({
 *   connect: (url) => require('../src/db'), // reads process.env.DATABASE_URL, set to `url` already
 *   createApp: (db, override) => express().use(override).use(require('../app')),
 *   signIn: async (db, role) => ({ authorization: `Bearer ${await tokenForNewUser(db, role)}` }),
 * });
 * test('a fixture row is visible to a request', async () => {
 *   await app().Note.create({ text: 'hi' });
 *   assert.equal((await (await clientFor('admin')).get('/notes')).data.length, 1);
 * });
 * describe('a chained block', { suiteTransaction: true }, () => {
 *   let admin;
 *   before(async () => { admin = await clientFor('admin'); }); // one login, in the block's transaction
 *   test('creates', async () => { await admin.post('/notes', { text: 'a' }); });
 *   test('reads what the previous test created', async () => { ... });
 * });
 * ```
 */
export function useSharedSession<AppContext extends { sequelize: Sequelize }, Role extends string>(
  wiring: SharedSessionWiring<AppContext, Role>,
  { databaseUrlEnv = 'DATABASE_URL' }: { databaseUrlEnv?: string } = {},
) {
  let kit: FileKit<AppContext, Role> | undefined;
  let url: string | undefined;
  const kitOpened = deferred();
  nodeBefore(() =>
    kitOpened.settle(async () => {
      url = await workerDatabaseUrl();
      process.env[databaseUrlEnv] = url;
      kit = await FileKit.open(wiring, url, { explainMissingContext: outsideKitTestError, noContextFix: NO_CONTEXT_FIX });
    }),
  );
  const fileOpened = deferred();
  let fileBlock: BlockHooks | undefined;
  nodeAfter(async () => {
    try {
      // The file's blocks end first (this hook runs before any registered later): one whose after hook
      // failed was left open by node:test, and the file's own (useSuiteTransaction) ends last.
      await closeEndedBlocks([]);
      await fileBlock?.close();
    } finally {
      try {
        await kit?.close();
      } finally {
        if (url) await checkWorkerDatabase(url, { referenceTables: wiring.referenceTables ?? DEFAULT_REFERENCE_TABLES });
      }
    }
  });
  const opened = (): FileKit<AppContext, Role> => {
    if (!kit) throw noContextError(NO_CONTEXT_FIX); // module-level code, or the kit's before hook failed
    return kit;
  };
  // Tests declared inside a suite with `{ concurrency }` run beside others: each has its own transaction.
  const asTest = (fn: Fn, args: unknown[]) => {
    const concurrent = concurrentSuites > 0;
    const scope = declaredScope();
    const enclosing = [...declaringBlocks];
    return asBody(async (body, t) => {
      const name = t.fullName ?? t.name;
      if (!concurrent) await closeEndedBlocks(enclosing);
      // node:test runs a test in the async context it was declared in: inside a suite-scoped block, the block's.
      if (!currentContext()?.session) return opened().runTest(name, () => runBody(body, t), { concurrent });
      if (concurrent) throw concurrentInSuiteScopeError(t.name);
      // A suite-scoped block's own tests share its transaction, in declared order; a test-scoped block nested in it gives each a savepoint.
      if (scope === 'suite') return runBody(body, t);
      return opened().runInSavepoint(name, () => runBody(body, t));
    })(fn, args);
  };
  const runSuite = (): SuiteRunner => {
    const kit = opened();
    return (name, body, options) => kit.runSuite(name, body, options);
  };
  /** A describe body that declares its tests in the scope it chose, and opens a suite-scoped block's transaction. */
  const asDescribe = (fn: Fn, args: unknown[]): Fn => {
    const scope = scopeOption(args);
    const runsChildrenAtOnce = concurrencyOf(args) !== undefined;
    const describedAs = String(args.find((a) => typeof a === 'string') ?? fn.name ?? '<anonymous>');
    return sameArity(fn, (...suiteArgs: unknown[]) => {
      const suite = suiteArgs[0] as { fullName?: string; name?: string } | undefined;
      const besideOthers = concurrentSuites > 0;
      if (runsChildrenAtOnce) concurrentSuites++;
      declaring.push(scope);
      try {
        if (scope !== 'suite') return fn(...suiteArgs);
        const block = blockHooks(suite?.fullName ?? suite?.name ?? describedAs, runSuite, besideOthers);
        // Registered first: it runs before the block's own before hooks, in the enclosing block's context.
        nodeBefore(() => block.open());
        declaringBlocks.push(block);
        try {
          return kitStorage.run(block.context, () => fn(...suiteArgs));
        } finally {
          declaringBlocks.pop();
          // Registered last: it runs after the block's own after hooks.
          nodeAfter(() => block.close());
        }
      } finally {
        declaring.pop();
        if (runsChildrenAtOnce) concurrentSuites--;
      }
    });
  };
  return {
    /** node:test's `test`, each body inside its test's shared transaction. */
    test: wrapRunner(nodeTest, asTest),
    /** node:test's `it`, like `test`. */
    it: wrapRunner(nodeIt, asTest),
    /**
     * node:test's `describe`; with `{ concurrency }`, its tests run at once, each in its own transaction. With
     * `{ suiteTransaction: true }`, its before/after hooks and all its tests share ONE transaction, in declared
     * order, rolled back when the block ends (a savepoint when nested in another such block); with
     * `{ suiteTransaction: false }` inside such a block, each of its tests gets a savepoint of its own.
     */
    describe: wrapRunner(nodeDescribe, asDescribe),
    /**
     * node:test's `before`. In a suite-scoped block (or file) it runs in the block's transaction; elsewhere it
     * runs outside any test, so its queries are refused. At the top of a file it waits for the kit (and the
     * file's transaction): node:test (20) starts top-level before hooks at once, not one after the other.
     */
    before: ((fn?: Fn, options?: object) => {
      if (declaring.length > 0 || typeof fn !== 'function' || fn.length >= 2) return nodeBefore(fn, options);
      return nodeBefore(async (...args: unknown[]) => {
        await kitOpened.promise;
        if (fileBlock) await fileOpened.promise;
        return fn(...args);
      }, options);
    }) as typeof nodeBefore,
    /** node:test's `after`: it runs outside any test, so its queries are refused. */
    after: nodeAfter,
    /**
     * Makes the whole file suite-scoped, in one line at its top: its hooks and tests share ONE transaction, in
     * declared order, rolled back after the file's last test. Call it at module level, before declaring tests.
     */
    useSuiteTransaction: (): void => {
      if (declaring.length > 0 || fileBlock) {
        throw new TypeError('useSuiteTransaction() makes a whole file suite-scoped: call it once, at the top of the file. For a describe block, declare it with `{ suiteTransaction: true }`.');
      }
      fileScope = 'suite';
      const block = blockHooks(fileLabel(), runSuite, false);
      fileBlock = block;
      // node:test (20) starts a file's top-level before hooks at once, without waiting for the previous one.
      nodeBefore(() =>
        fileOpened.settle(async () => {
          await kitOpened.promise;
          await block.open();
        }),
      );
      declaringBlocks.push(block);
      // node:test runs each test and hook in the async context it was declared in: from here on in this module, the file's block.
      kitStorage.enterWith(block.context);
    },
    /** An axios instance for the file's server, signed in as a fresh user of `role` (anonymous without one). */
    clientFor: (role?: Role): Promise<AxiosInstance> => opened().clientFor(role),
    /** The running test's shared transaction. */
    tx: (): SharedTransaction => opened().tx(),
    /** What `wiring.connect` returned (the app's models), once the kit is open. */
    app: (): AppContext => opened().app,
  };
}

/** A promise settled by the outcome of `settle(work)`; a failure is reported by the hook that ran the work. */
function deferred(): { promise: Promise<void>; settle(work: () => Promise<void>): Promise<void> } {
  let done!: (outcome: Promise<void>) => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  promise.catch(() => {});
  return {
    promise,
    settle(work) {
      const outcome = work();
      done(outcome);
      return outcome;
    },
  };
}

/** The test file, for messages: node --test runs it as the main module. */
function fileLabel(): string {
  const file = process.argv[1];
  return file ? `file ${file.split(/[\\/]/).pop()}` : 'this file';
}

function outsideKitTestError(sql: string): SharedSessionError {
  return new SharedSessionError(
    'Query outside a kit test of node:test: a query reached the test database from code that runs in no kit test (a ' +
      "before, beforeEach, afterEach or after hook, module-level code, or a test declared with `test` from 'node:test' " +
      `instead of the one useSharedSession returns), so it would be committed for good.\n  query: ${sql.slice(0, 200)}\n` +
      'Fix: create data in the test body (or a helper it calls) of a test declared with the `test`/`it` that ' +
      "useSharedSession(wiring) returns: node:test runs hooks outside the body's async context, where the test's transaction lives.",
    TESTING_SECTIONS.nodeTestOutsideTest,
  );
}

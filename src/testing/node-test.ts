/**
 * The node:test adapter of the kit (Node 20 and 22): a wrapped `test`/`it` that
 * runs each test body inside its shared transaction (FileKit does the work).
 *
 * node:test runs hooks outside the test body's async context (an
 * `AsyncLocalStorage.enterWith()` in `beforeEach` does not reach the body), so
 * the transaction is opened around the body itself; subtests made with
 * `t.test()` run inside their parent's body, and share its transaction.
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

/** A suite body that marks the tests it declares as concurrent when the suite runs its children at once. */
const asSuite = (fn: Fn, args: unknown[]): Fn => {
  if (concurrencyOf(args) === undefined) return fn;
  return sameArity(fn, (...suiteArgs: unknown[]) => {
    concurrentSuites++;
    try {
      return fn(...suiteArgs);
    } finally {
      concurrentSuites--;
    }
  });
};

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
 *
 * @param databaseUrlEnv - the variable the app reads its database URL from; default `DATABASE_URL`.
 * @example
 * ```js
 * const { test, clientFor, app } = useSharedSession({
 *   connect: (url) => require('../src/db'), // reads process.env.DATABASE_URL, set to `url` already
 *   createApp: (db, override) => express().use(override).use(require('../src/app')),
 *   signIn: async (db, role) => ({ authorization: `Bearer ${await tokenForNewUser(db, role)}` }),
 * });
 * test('a fixture row is visible to a request', async () => {
 *   await app().Note.create({ text: 'hi' });
 *   assert.equal((await (await clientFor('admin')).get('/notes')).data.length, 1);
 * });
 * ```
 */
export function useSharedSession<AppContext extends { sequelize: Sequelize }, Role extends string>(
  wiring: SharedSessionWiring<AppContext, Role>,
  { databaseUrlEnv = 'DATABASE_URL' }: { databaseUrlEnv?: string } = {},
) {
  let kit: FileKit<AppContext, Role> | undefined;
  let url: string | undefined;
  nodeBefore(async () => {
    url = await workerDatabaseUrl();
    process.env[databaseUrlEnv] = url;
    kit = await FileKit.open(wiring, url, { explainMissingContext: outsideKitTestError, noContextFix: NO_CONTEXT_FIX });
  });
  nodeAfter(async () => {
    try {
      await kit?.close();
    } finally {
      if (url) await checkWorkerDatabase(url, { referenceTables: wiring.referenceTables ?? DEFAULT_REFERENCE_TABLES });
    }
  });
  const opened = (): FileKit<AppContext, Role> => {
    if (!kit) throw noContextError(NO_CONTEXT_FIX); // module-level code, or the kit's before hook failed
    return kit;
  };
  // Tests declared inside a suite with `{ concurrency }` run beside others: each has its own transaction.
  const asTest = (fn: Fn, args: unknown[]) => {
    const concurrent = concurrentSuites > 0;
    return asBody((body, t) => opened().runTest(t.fullName ?? t.name, () => runBody(body, t), { concurrent }))(fn, args);
  };
  return {
    /** node:test's `test`, each body inside its test's shared transaction. */
    test: wrapRunner(nodeTest, asTest),
    /** node:test's `it`, like `test`. */
    it: wrapRunner(nodeIt, asTest),
    /** node:test's `describe`; with `{ concurrency }`, its tests run at once, each in its own transaction. */
    describe: wrapRunner(nodeDescribe, asSuite),
    /** node:test's `before`: it runs outside any test, so its queries are refused. */
    before: nodeBefore,
    /** node:test's `after`: it runs outside any test, so its queries are refused. */
    after: nodeAfter,
    /** An axios instance for the file's server, signed in as a fresh user of `role` (anonymous without one). */
    clientFor: (role?: Role): Promise<AxiosInstance> => opened().clientFor(role),
    /** The running test's shared transaction. */
    tx: (): SharedTransaction => opened().tx(),
    /** What `wiring.connect` returned (the app's models), once the kit is open. */
    app: (): AppContext => opened().app,
  };
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

import { AsyncLocalStorage } from 'node:async_hooks';
import type { TestSession } from './session.ts';

/**
 * What the kit keeps per async context: the CLS values Sequelize reads and
 * writes (`transaction`), plus, inside a test, the test's session.
 *
 * @example
 * ```ts
 * const context = currentContext();
 * if (context?.session) console.log(`inside test "${context.session.testName}"`);
 * ```
 */
export interface KitContext {
  /** CLS values; Sequelize only uses the key `transaction`. */
  readonly values: Map<string, unknown>;
  /** The test this code runs for, if any. */
  readonly session?: TestSession;
  /**
   * Present where the code runs under the session lock: a request being
   * served, or a managed nested transaction of the test body. A lease, not a
   * flag, because child contexts copy it by reference: when the request ends,
   * `held` turns false for work it started and did not await, which then has to
   * take the lock like any other query.
   */
  readonly lockLease?: LockLease;
  /** Present where the code runs for a request (and in work the request started): which one. */
  readonly request?: RequestInfo;
  /** True inside a managed transaction of the test body, which holds the session lock. */
  readonly inBodyTransaction?: boolean;
  /** The runner's task (a test, or a suite-scoped block) this context was opened for. */
  readonly scopeOwner?: object;
}

/**
 * The request a piece of code runs for.
 *
 * @example
 * ```ts
 * const label = currentContext()?.request?.label; // 'POST /tournaments'
 * ```
 */
export interface RequestInfo {
  /** `METHOD /url`, for error messages. */
  readonly label: string;
}

/**
 * Whether the code of a context still holds the session lock.
 *
 * @example
 * ```ts
 * const lease = currentContext()?.lockLease;
 * if (lease?.held) console.log('this code runs under the session lock');
 * ```
 */
export interface LockLease {
  /** True until the request (or nested transaction) that took the lock has finished. */
  held: boolean;
}

/**
 * The one AsyncLocalStorage behind the kit's CLS namespace. The kit runs each
 * test body and each request of a test inside `kitStorage.run(...)`.
 *
 * @example
 * ```ts
 * const transaction = kitStorage.getStore()?.values.get('transaction');
 * ```
 */
export const kitStorage: AsyncLocalStorage<KitContext> = sharedStorage();

/**
 * One storage per process, kept on a global symbol: the kit may be loaded
 * twice (its ESM and CommonJS builds, or Jest's module registry beside the
 * test environment, which hands its storage to the test's global), and every
 * copy must read the same contexts.
 */
function sharedStorage(): AsyncLocalStorage<KitContext> {
  const key = Symbol.for('sequelize-shared-session.storage');
  const holder = globalThis as { [key]?: AsyncLocalStorage<KitContext> };
  return (holder[key] ??= new AsyncLocalStorage<KitContext>());
}

/**
 * The async context of the code calling it, if any.
 *
 * @example
 * ```ts
 * const inTest = currentContext()?.session !== undefined;
 * ```
 */
export function currentContext(): KitContext | undefined {
  return kitStorage.getStore();
}

/**
 * The namespace interface Sequelize 6 needs from CLS (`Sequelize.useCLS`):
 * `get`, `set`, `run` and `bind`. cls-hooked is not needed on Node 16+.
 *
 * @example
 * ```ts
 * const namespace: ClsNamespace = clsNamespace;
 * namespace.run(() => namespace.set('transaction', tx));
 * ```
 */
export interface ClsNamespace {
  /** The value stored under `key` in the current context (Sequelize reads `transaction`). */
  get(key: string): unknown;
  /** Stores `value` under `key` in the current context; a no-op outside any context. */
  set(key: string, value: unknown): void;
  /** Runs `fn` in a child context that starts with a copy of the current values. */
  run<T>(fn: (context: KitContext) => T): T;
  /**
   * Returns `fn` bound to the current context, so a later call sees its values.
   *
   * @typeParam F - the function's own type, kept as is.
   */
  bind<F extends (...args: never[]) => unknown>(fn: F): F;
}

/**
 * A CLS namespace for `Sequelize.useCLS()` backed by Node's AsyncLocalStorage.
 *
 * `run()` opens a child context that starts with a copy of the current values,
 * so a managed `sequelize.transaction(cb)` sets its transaction for `cb` only.
 *
 * @example
 * ```ts
 * import { Sequelize } from 'sequelize';
 * import { clsNamespace } from './src/testing/index.ts';
 * Sequelize.useCLS(clsNamespace);
 * ```
 */
export const clsNamespace: ClsNamespace = {
  get(key) {
    return kitStorage.getStore()?.values.get(key);
  },
  set(key, value) {
    // Outside any context there is nowhere to store the value; Sequelize only
    // sets inside `run()`, and clears with set(key, null), which is then moot.
    kitStorage.getStore()?.values.set(key, value);
  },
  run(fn) {
    const parent = kitStorage.getStore();
    const child: KitContext = { ...parent, values: new Map(parent?.values) };
    return kitStorage.run(child, () => fn(child));
  },
  bind(fn) {
    const context = kitStorage.getStore();
    if (!context) return fn;
    return ((...args: never[]) => kitStorage.run(context, () => fn(...args))) as typeof fn;
  },
};

/**
 * Runs `fn` in a context with no test session: for the kit's own bookkeeping
 * queries, which the query guard must not refuse.
 *
 * @example
 * ```ts
 * const transaction = await outsideAnyTest(() => sequelize.transaction());
 * ```
 */
export function outsideAnyTest<T>(fn: () => T): T {
  return kitStorage.run({ values: new Map() }, fn);
}

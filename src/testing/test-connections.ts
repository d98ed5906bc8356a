// How a test's transaction gets its connection, and how the connection comes
// back. Two round trips are taken off each test's path without changing what
// the test sees:
//
// - Teardown does not wait for its ROLLBACK's answer. The next test waits for
//   it before its first statement, and closing the instance waits for it, so
//   no test ever runs while an earlier test's locks are held.
// - The ROLLBACK carries the next test's START TRANSACTION. The connection
//   stays with the kit (not in the pool), and the next test takes it with its
//   transaction already open, if it starts within PRE_OPENED_FRESH_MS;
//   otherwise the kit rolls that transaction back and gives the connection to
//   the pool, so `now()` is never older than that.
import type { Sequelize, Transaction } from 'sequelize';
import type { RawConnection } from './session.ts';

/**
 * How long a transaction opened by the previous test's teardown may wait for
 * the next test. `now()` in a test is the start of its transaction, so it may
 * be this much older than the test itself; past it, the kit begins a new one.
 *
 * @example
 * ```ts
 * const testStarted = Date.now();
 * const [[{ now }]] = (await sequelize.query('SELECT now() AS now')) as [[{ now: Date }], unknown];
 * expect(testStarted - now.getTime()).toBeLessThanOrEqual(PRE_OPENED_FRESH_MS);
 * ```
 */
export const PRE_OPENED_FRESH_MS = 50;

/** A connection the last teardown kept for the next test, its transaction open since `openedAt` (performance.now()). */
interface Spare {
  readonly connection: RawConnection;
  readonly openedAt: number;
}

interface InstanceState {
  /** Teardowns whose ROLLBACK has not answered yet. */
  readonly inFlight: Set<Promise<void>>;
  /** The connection kept by the last teardown (undefined once its ROLLBACK failed). */
  spare?: Promise<Spare | undefined>;
}

/** Kept on a global symbol like the kit's storage: two copies of this module (ESM and CommonJS) must share it. */
const STATE = Symbol.for('e2e-kit.test-connections');
const states: WeakMap<Sequelize, InstanceState> = ((globalThis as { [STATE]?: WeakMap<Sequelize, InstanceState> })[STATE] ??= new WeakMap());

function stateOf(sequelize: Sequelize): InstanceState {
  let state = states.get(sequelize);
  if (!state) states.set(sequelize, (state = { inFlight: new Set() }));
  return state;
}

function inFlightSettled(state: InstanceState): Promise<void> {
  return state.inFlight.size === 0 ? Promise.resolve() : Promise.all(state.inFlight).then(() => undefined);
}

/** Records a teardown's rollback (it never rejects: a failed one has ended its connection). */
export function trackRollback(sequelize: Sequelize, rollback: Promise<unknown>): void {
  const { inFlight } = stateOf(sequelize);
  const settled: Promise<void> = rollback.then(
    () => undefined,
    () => undefined,
  );
  inFlight.add(settled);
  void settled.then(() => inFlight.delete(settled));
}

/** True when no teardown has kept a connection for the next test yet. */
export function canKeepConnection(sequelize: Sequelize): boolean {
  return stateOf(sequelize).spare === undefined;
}

/**
 * Offers the connection of a test whose teardown sent `ROLLBACK; ...; START
 * TRANSACTION` to the next test. `opened` resolves to the time the new
 * transaction began, or undefined if the teardown failed (the connection is then gone).
 */
export function keepConnection(sequelize: Sequelize, connection: RawConnection, opened: Promise<number | undefined>): void {
  closeReleasesTestConnections(sequelize);
  stateOf(sequelize).spare = opened.then((openedAt) => (openedAt === undefined ? undefined : { connection, openedAt }));
}

const CLOSE_PATCHED = Symbol.for('e2e-kit.close-releases-test-connections');

/**
 * A connection the kit keeps is in use as far as the pool knows, and
 * `sequelize.close()` waits for every connection in use: it would wait
 * forever. So `close` (patched once, on the class) first gives the kit's
 * connections back.
 */
export function closeReleasesTestConnections(sequelize: Sequelize): void {
  const proto = Object.getPrototypeOf(sequelize) as Record<PropertyKey, unknown> & { close(this: Sequelize): Promise<void> };
  if (proto[CLOSE_PATCHED]) return;
  proto[CLOSE_PATCHED] = true;
  const close = proto.close;
  proto.close = async function closeAfterTestConnections(this: Sequelize) {
    await releaseTestConnections(this);
    return close.call(this);
  };
}

/** Sequelize 6's Transaction, with the steps of `sequelize.transaction()` the kit runs itself. */
interface PreparableTransaction {
  id: string;
  options: { isolationLevel?: unknown; deferrable?: unknown; readOnly?: boolean };
  connection?: RawConnection;
  begin(): Promise<unknown>;
  prepareEnvironment(useCls: boolean): Promise<unknown>;
}

/**
 * A test's transaction, and what its statements must wait for: START
 * TRANSACTION in flight, and earlier tests' rollbacks.
 */
export interface OpenedTransaction {
  readonly transaction: Transaction;
  readonly ready: Promise<unknown>;
  /** False with an isolation level, deferrable or read-only option: teardown must not open the next transaction for it. */
  readonly reusable: boolean;
}

function logKitStatement(sequelize: Sequelize, sql: string): void {
  const logging = (sequelize as unknown as { options: { logging?: unknown } }).options.logging;
  if (typeof logging === 'function') (logging as (message: string) => void)(`Executing (kit): ${sql}`);
}

function sendWithoutWaiting(sequelize: Sequelize, connection: RawConnection, sql: string): Promise<unknown> {
  logKitStatement(sequelize, sql);
  const sent = connection.query(sql);
  sent.catch(() => {}); // seen by the statements that wait for it
  return sent;
}

function usable(connection: RawConnection): boolean {
  const state = connection as RawConnection & { _ending?: boolean; _queryable?: boolean };
  return !state._invalid && !state._ending && state._queryable !== false;
}

/**
 * Opens a test's transaction as `sequelize.transaction()` does, without
 * waiting for START TRANSACTION: it leaves at once and the test's first
 * statement waits for its answer, so its round trip overlaps the test's own
 * work. On the connection the previous teardown kept, the transaction is
 * already open. With an isolation level (Sequelize then sends two
 * statements) it falls back to `sequelize.transaction()`.
 */
export async function openTestTransaction(sequelize: Sequelize): Promise<OpenedTransaction> {
  const state = stateOf(sequelize);
  const TransactionClass = (sequelize.constructor as { Transaction?: new (s: Sequelize, o: object) => Transaction }).Transaction;
  const transaction = TransactionClass ? new TransactionClass(sequelize, {}) : undefined;
  const t = transaction as unknown as PreparableTransaction | undefined;
  if (!transaction || !t || typeof t.prepareEnvironment !== 'function' || typeof t.begin !== 'function' || t.options.isolationLevel || t.options.deferrable || t.options.readOnly) {
    const earlier = inFlightSettled(state);
    return { transaction: await sequelize.transaction(), ready: earlier, reusable: false };
  }

  const offered = state.spare;
  state.spare = undefined;
  const spare = offered && (await offered);
  if (spare && usable(spare.connection) && performance.now() - spare.openedAt <= PRE_OPENED_FRESH_MS) {
    t.connection = spare.connection;
    spare.connection.uuid = t.id;
    return { transaction, ready: inFlightSettled(state), reusable: true };
  }
  // Kept too long (its now() would be old, and the server may have ended it
  // for idling in a transaction): back to the pool, and a connection from the pool instead.
  if (spare) trackRollback(sequelize, giveBack(sequelize, spare.connection));

  const earlier = inFlightSettled(state);
  let started: Promise<unknown> | undefined;
  Object.defineProperty(t, 'begin', {
    configurable: true,
    value(this: PreparableTransaction) {
      started = sendWithoutWaiting(sequelize, this.connection!, 'START TRANSACTION');
      return Promise.resolve();
    },
  });
  try {
    await t.prepareEnvironment(false);
  } finally {
    Reflect.deleteProperty(t, 'begin');
  }
  return { transaction, ready: started ? Promise.all([started, earlier]) : earlier, reusable: true };
}

interface ConnectionManager {
  releaseConnection(connection: unknown): void;
  destroyConnection(connection: unknown): Promise<void>;
}

function manager(sequelize: Sequelize): ConnectionManager {
  return sequelize.connectionManager as unknown as ConnectionManager;
}

async function destroy(sequelize: Sequelize, connection: RawConnection): Promise<void> {
  connection._invalid = true;
  await manager(sequelize)
    .destroyConnection(connection)
    .catch(() => {});
}

/**
 * Resolves once every test transaction of `sequelize` is rolled back and its
 * connection is back in the pool: the rollbacks still in flight, and the
 * transaction the last teardown opened for a next test. Never rejects.
 * `sequelize.close()` calls it first, and the kit calls it before its
 * per-file check; code that drives `TestSession` itself calls it before it
 * looks at the database through a connection of its own.
 *
 * @example
 * ```ts
 * await session.end();
 * await releaseTestConnections(sequelize); // the test's locks are released, its connection is back in the pool
 * ```
 */
export async function releaseTestConnections(sequelize: Sequelize): Promise<void> {
  const state = stateOf(sequelize);
  const offered = state.spare;
  state.spare = undefined;
  const spare = offered && (await offered);
  if (spare) await giveBack(sequelize, spare.connection);
  await inFlightSettled(state);
}

/** Rolls back the transaction a teardown opened on `connection` and returns it to the pool (or ends it). */
async function giveBack(sequelize: Sequelize, connection: RawConnection): Promise<void> {
  try {
    if (!usable(connection)) throw new Error('connection lost');
    logKitStatement(sequelize, 'ROLLBACK');
    await connection.query('ROLLBACK');
    manager(sequelize).releaseConnection(connection);
  } catch {
    await destroy(sequelize, connection);
  }
}

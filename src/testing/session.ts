import type { Sequelize, Transaction } from 'sequelize';
import { Mutex } from './lock.ts';
import { outsideAnyTest } from './cls.ts';

/** Sequelize 6 keeps these on every Transaction without typing them. */
interface TransactionInternals {
  id: string;
  parent?: Transaction;
  finished?: 'commit' | 'rollback';
  sequelize: Sequelize;
}

function internals(transaction: Transaction): TransactionInternals {
  return transaction as unknown as TransactionInternals;
}

/**
 * How long a request or the teardown waits for the session lock by default.
 *
 * @example
 * ```ts
 * createSharedSessionTest({ ...wiring, lockTimeoutMs: 3 * DEFAULT_LOCK_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/**
 * One test's shared transaction and what guards it: the lock that serialises
 * requests, and the state that tells late queries the test is over.
 * createSharedSessionTest begins one per test and ends it after the test.
 *
 * @example
 * ```ts
 * const session = await TestSession.begin(sequelize, 'my test');
 * try { await runTheTest(session.transaction); } finally { await session.end(); }
 * ```
 */
export class TestSession {
  /** The root, unmanaged transaction every query of the test runs in. */
  readonly transaction: Transaction;
  /** Serialises the requests (and test-body queries) that share the transaction. */
  readonly lock = new Mutex();
  /** The test's name, used in error messages. */
  readonly testName: string;
  /** How long to wait for `lock` before failing with a clear error. */
  readonly lockTimeoutMs: number;
  private ended = false;
  private savepointCounter = 0;

  private constructor(transaction: Transaction, testName: string, lockTimeoutMs: number) {
    this.transaction = transaction;
    this.testName = testName;
    this.lockTimeoutMs = lockTimeoutMs;
  }

  /** Opens the test's transaction on a connection of its own. */
  static async begin(sequelize: Sequelize, testName: string, lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Promise<TestSession> {
    const transaction = await outsideAnyTest(() => sequelize.transaction());
    return new TestSession(transaction, testName, lockTimeoutMs);
  }

  /** The Sequelize instance the transaction belongs to. */
  get sequelize(): Sequelize {
    return internals(this.transaction).sequelize;
  }

  /** True once teardown has started: from then on every query of the test is refused. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** True when `transaction` is this test's transaction or one of its savepoints. */
  owns(transaction: Transaction | null | undefined): boolean {
    if (!transaction) return false;
    return internals(transaction).id === internals(this.transaction).id;
  }

  /** A savepoint name unique within this test. */
  nextSavepointName(): string {
    this.savepointCounter += 1;
    return `kit_request_${this.savepointCounter}`;
  }

  /**
   * Ends the test: refuses further queries, waits (bounded) for the request in
   * flight to finish its savepoint, then rolls the whole transaction back.
   */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    let release: (() => void) | undefined;
    try {
      release = await this.lock.acquire({ timeoutMs: this.lockTimeoutMs });
    } catch {
      // A request is stuck; roll back regardless. Its later queries fail
      // because the transaction is finished, so nothing can be written.
    }
    try {
      if (!internals(this.transaction).finished) {
        await outsideAnyTest(() => this.transaction.rollback());
      }
    } finally {
      release?.();
    }
  }
}

/**
 * Errors raised by the kit. Each one says what went wrong, how to fix it, and
 * which section of the kit's FAQ.md explains it, the way Ecto's sandbox errors end
 * with "See Ecto.Adapters.SQL.Sandbox docs for more information".
 */

/**
 * The FAQ.md headings the kit's errors point to, verbatim (FAQ.md travels with the kit). Each FAQ heading
 * is the start of the error message itself, so searching the doc for the text
 * on your screen finds the answer. `npm run docs:check` fails when one of them
 * is not a heading of FAQ.md.
 *
 * @example
 * ```ts
 * throw new SharedSessionError('Rows left behind after this file: users (1).', TESTING_SECTIONS.leak);
 * ```
 */
export const TESTING_SECTIONS = {
  /** A query of the test ran outside the test's transaction. */
  escapedQuery: 'A query escaped the test transaction',
  /** A query arrived after the test's transaction was rolled back. */
  afterEnd: 'Query after the test ended',
  /** An HTTP request reached the test server while no test was running. */
  outsideTest: 'Request outside a test transaction',
  /** A request or query waited too long for another request of the same test. */
  lockTimeout: 'Timed out waiting for the test transaction lock',
  /** A test body ran outside the kit's aroundEach hook. */
  noContext: 'No shared-session context',
  /** Two tests of one file ran at the same time (`test.concurrent`). */
  concurrentTests: 'Two tests share one file server at once',
  /** A file (or the whole run) left rows in its database. */
  leak: 'Rows left behind',
  /** A file (or the whole run) changed its database's schema (DDL outside the test transaction). */
  schemaChanged: 'Schema differs from the template',
  /** The request override was built with `NODE_ENV=production`. */
  production: 'The request override is test-only',
  /** Inside an app transaction, a query that would run on another connection in production. */
  outsideAppTransaction: 'A query ran outside the open app transaction',
  /** A second, independent app transaction opened while one was open. */
  secondAppTransaction: 'A second app transaction opened while another was open',
  /** A request ended with an unmanaged transaction neither committed nor rolled back. */
  unfinishedTransaction: 'A request ended with its transaction still open',
  /** COMMIT, ROLLBACK or END (as SQL, or tx.commit()/tx.rollback() on the test's transaction). */
  transactionControl: 'Transaction control refused',
  /** A DEFERRABLE constraint that COMMIT would have rejected. */
  deferredConstraint: 'A deferred constraint would fail at COMMIT',
  /** A query on the app's database with no test context: an auto fixture, a beforeAll hook, module code. */
  outsideAnyTest: 'Query outside any test transaction',
  /** A test-scoped fixture registered with `auto: true` on the kit's test. */
  autoFixture: 'Auto fixtures cannot join the test transaction',
  /** A request carrying the identity of a test that has ended. */
  endedTest: 'Request from a test that has ended',
  /** A request without the kit's test identity while several tests run. */
  untaggedRequest: 'Untagged request while several tests are running',
  /** A request sent from inside a managed transaction of the test body. */
  requestInBodyTransaction: 'A request was sent inside a transaction of the test body',
  /** Teardown had to end a request that never finished. */
  teardownEndedRequest: 'Teardown ended a request that never finished',
  /** The previous test's teardown was still running when the next test started. */
  teardownStillRunning: 'The previous test is still tearing down',
  /** The file runs in a shared module graph (`isolate: false`) where the kit's hook is not registered for it. */
  notIsolated: 'The kit hook is not registered in this file',
  /** A concurrent test inside a block that runs in one (suite-scoped) transaction. */
  concurrentInSuiteScope: 'Concurrent tests cannot share a suite-scoped transaction',
  /** A test declared with Vitest's own `test` in a file that uses the kit. */
  plainVitestTest: "A test declared with Vitest's own test",
  /** `test.concurrent` in a file of the kit's Jest environment. */
  jestConcurrent: "Jest's test.concurrent is refused in files that use the kit",
  /** useSharedSession() of the Jest adapter in a file whose testEnvironment is not the kit's. */
  jestEnvironmentMissing: "The kit's Jest environment is not set",
  /** `{ concurrency }` on a test of the node:test adapter (its subtests share one transaction). */
  nodeTestConcurrency: 'Concurrent subtests are refused',
  /** A query with no test context under node:test: a hook, module code, or a test from 'node:test' itself. */
  nodeTestOutsideTest: 'Query outside a kit test of node:test',
  /** clientFor() or tx() of the Mocha adapter in a Mocha run that did not load the plugin with `--require`. */
  mochaNotLoaded: "The kit's Mocha plugin is not loaded",
  /** A test ran on the app's Sequelize instance after test code closed it (`sequelize.close()` in an earlier file's hook). */
  appClosed: "The app's Sequelize instance was closed",
} as const;

/**
 * One of the FAQ.md headings in {@link TESTING_SECTIONS}.
 *
 * @example
 * ```ts
 * const section: TestingSection = TESTING_SECTIONS.lockTimeout;
 * ```
 */
export type TestingSection = (typeof TESTING_SECTIONS)[keyof typeof TESTING_SECTIONS];

/** Marks the kit's errors, whichever copy of the kit made them. */
const KIT_ERROR = Symbol.for('sequelize-shared-session.error');

/**
 * Base class of every error the kit throws.
 *
 * @example
 * ```ts
 * try { await work(); } catch (error) {
 *   if (error instanceof SharedSessionError) console.error(error.section);
 * }
 * ```
 */
export class SharedSessionError extends Error {
  /** The FAQ.md heading that explains this error. */
  readonly section: TestingSection;

  /**
   * Builds the error; its message ends with the FAQ.md section to read.
   *
   * @param message - what went wrong and the fix; the "See the kit's FAQ.md" line is appended.
   * @param section - the FAQ.md heading that explains it.
   */
  constructor(message: string, section: TestingSection) {
    super(`${message}\nSee the kit's FAQ.md, section "${section}".`);
    this.name = 'SharedSessionError';
    this.section = section;
    Object.defineProperty(this, KIT_ERROR, { value: true });
  }

  /**
   * `instanceof` holds for an error of any copy of the kit in the process (its
   * ESM and CommonJS builds, or a module graph loaded twice), which each have a class of their own.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [KIT_ERROR]?: boolean })[KIT_ERROR] === true;
  }
}

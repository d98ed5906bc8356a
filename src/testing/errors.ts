/**
 * Errors raised by the kit. Each one says what went wrong, how to fix it, and
 * which section of TESTING.md explains it, the way Ecto's sandbox errors end
 * with "See Ecto.Adapters.SQL.Sandbox docs for more information".
 */

/**
 * The TESTING.md headings the kit's errors point to, verbatim. Each FAQ heading
 * is the start of the error message itself, so searching the doc for the text
 * on your screen finds the answer. `npm run docs:check` fails when one of them
 * is not a heading of TESTING.md.
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
} as const;

/**
 * One of the TESTING.md headings in {@link TESTING_SECTIONS}.
 *
 * @example
 * ```ts
 * const section: TestingSection = TESTING_SECTIONS.lockTimeout;
 * ```
 */
export type TestingSection = (typeof TESTING_SECTIONS)[keyof typeof TESTING_SECTIONS];

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
  /** The TESTING.md heading that explains this error. */
  readonly section: TestingSection;

  /**
   * Builds the error; its message ends with the TESTING.md section to read.
   *
   * @param message - what went wrong and the fix; the "See TESTING.md" line is appended.
   * @param section - the TESTING.md heading that explains it.
   */
  constructor(message: string, section: TestingSection) {
    super(`${message}\nSee TESTING.md, section "${section}".`);
    this.name = 'SharedSessionError';
    this.section = section;
  }
}

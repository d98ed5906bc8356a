/**
 * Errors raised by the kit. Each one says what went wrong, how to fix it, and
 * which section of TESTING.md explains it, the way Ecto's sandbox errors end
 * with "See Ecto.Adapters.SQL.Sandbox docs for more information".
 */

/**
 * The TESTING.md headings the kit's errors point to, verbatim. Each FAQ heading
 * is the start of the error message itself, so searching the doc for the text
 * on your screen finds the answer.
 */
export const TESTING_SECTIONS = {
  escapedQuery: 'A query escaped the test transaction',
  afterEnd: 'Query after the test ended',
  outsideTest: 'Request outside a test transaction',
  lockTimeout: 'Timed out waiting for the test transaction lock',
  noContext: 'No shared-session context',
  concurrentTests: 'Two tests share one file server at once',
  leak: 'Rows left behind',
  production: 'The request override is test-only',
} as const;

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

  constructor(message: string, section: TestingSection) {
    super(`${message}\nSee TESTING.md, section "${section}".`);
    this.name = 'SharedSessionError';
    this.section = section;
  }
}

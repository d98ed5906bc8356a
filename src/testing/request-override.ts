import type { IncomingMessage, ServerResponse } from 'node:http';
import { kitStorage, type KitContext } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { lockTimeoutError } from './query-guard.ts';
import type { TestSession } from './session.ts';

/**
 * An Express-compatible middleware (the kit does not depend on Express's types).
 *
 * @example
 * ```ts
 * const override: RequestOverride = createRequestOverride(runningTest);
 * app.use(override); // first, before every other middleware
 * ```
 */
export type RequestOverride = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Where the override finds the test that is running now (one per file server).
 *
 * @example
 * ```ts
 * const running: { current: TestSession | undefined } = { current: undefined };
 * const override = createRequestOverride(running);
 * ```
 */
export interface SessionSource {
  /** The session of the test running now, or `undefined` between tests. */
  readonly current: TestSession | undefined;
}

function refuse(res: ServerResponse, status: number, error: SharedSessionError): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: { code: 'test_kit_error', message: error.message } }));
}

/**
 * The test-only first middleware: the Express twin of FastAPI's
 * `app.dependency_overrides[get_db]`. For each request it
 *
 * 1. takes the test's lock (requests of one test run one at a time),
 * 2. opens a SAVEPOINT in the test's transaction,
 * 3. runs the rest of the app inside the transaction (bound in CLS),
 * 4. before the response leaves, releases the savepoint, or rolls back to it
 *    when the response is an error (status >= 400), so a failed statement
 *    (say a 409 from a unique violation) does not leave the whole transaction
 *    aborted (PostgreSQL 25P02) for the rest of the test.
 *
 * It exists only in apps built by the test kit: the app factory receives it as
 * an option, and nothing in a request (header, cookie) or in the environment
 * can switch it on. It refuses to be built when `NODE_ENV=production`.
 *
 * @example
 * ```ts
 * const app = createApp({ ...deps, testRequestOverride: createRequestOverride(sessions) });
 * ```
 */
export function createRequestOverride(sessions: SessionSource): RequestOverride {
  if (process.env.NODE_ENV === 'production') {
    throw new SharedSessionError(
      'The request override is test-only and refuses to be built with NODE_ENV=production.',
      TESTING_SECTIONS.production,
    );
  }
  return function sharedSessionOverride(req, res, next) {
    const session = sessions.current;
    if (!session || session.hasEnded) {
      refuse(
        res,
        500,
        new SharedSessionError(
          `Request outside a test transaction: ${req.method} ${req.url} reached the test server while no test was running ` +
            `(in a beforeAll/afterAll hook, or after its test ended). It was refused so that nothing is committed.\n` +
            `Fix: make requests inside a test body, and await them before the test ends.`,
          TESTING_SECTIONS.outsideTest,
        ),
      );
      return;
    }
    void serveInSavepoint(session, req, res, next);
  };
}

async function serveInSavepoint(
  session: TestSession,
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
): Promise<void> {
  let release: () => void;
  try {
    release = await session.lock.acquire({
      timeoutMs: session.lockTimeoutMs,
      onTimeout: () => lockTimeoutError(session, `the request ${req.method} ${req.url}`),
    });
  } catch (error) {
    refuse(res, 503, error as SharedSessionError);
    return;
  }
  const lease = { held: true };
  const context: KitContext = {
    values: new Map([['transaction', session.transaction]]),
    session,
    lockLease: lease,
  };
  const sql = (statement: string) =>
    kitStorage.run(context, () => session.sequelize.query(statement, { transaction: session.transaction }));
  const savepoint = session.nextSavepointName();

  if (session.hasEnded) {
    lease.held = false;
    release();
    refuse(res, 500, new SharedSessionError(`Request outside a test transaction: the test ended while ${req.method} ${req.url} waited.`, TESTING_SECTIONS.outsideTest));
    return;
  }
  try {
    await sql(`SAVEPOINT ${savepoint}`);
  } catch (error) {
    lease.held = false;
    release();
    next(error);
    return;
  }

  let settled = false;
  const settle = async (failed: boolean) => {
    if (settled) return;
    settled = true;
    try {
      // Teardown has begun and will roll everything back; nothing to settle.
      if (session.hasEnded) return;
      if (failed) {
        await sql(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        await sql(`RELEASE SAVEPOINT ${savepoint}`);
        return;
      }
      try {
        await sql(`RELEASE SAVEPOINT ${savepoint}`);
      } catch {
        // The handler swallowed a failed statement and still answered 2xx: the
        // transaction is aborted (25P02). Undo this request so the test can go on.
        await sql(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        await sql(`RELEASE SAVEPOINT ${savepoint}`);
      }
    } finally {
      lease.held = false;
      release();
    }
  };

  // Hold the response until the savepoint is settled, so the client never sees
  // a response before the transaction is usable again.
  const originalEnd = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = function endAfterSavepoint(...args: unknown[]) {
    settle(res.statusCode >= 400).then(
      () => originalEnd(...args),
      (error: unknown) => {
        console.error('[e2e-kit] could not settle the request savepoint:', error);
        originalEnd(...args);
      },
    );
    return res;
  } as typeof res.end;
  // A client that disconnects before the response must not keep the lock.
  res.once('close', () => void settle(true).catch(() => {}));

  kitStorage.run(context, () => next());
}

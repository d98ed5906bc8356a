import type { IncomingMessage, ServerResponse } from 'node:http';
import { kitStorage, type KitContext, type RequestInfo } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { lockTimeoutError } from './query-guard.ts';
import type { TestSession } from './session.ts';

/**
 * The header that carries a request's test identity. The kit's HTTP clients
 * set it; the override reads it only in apps built for tests.
 *
 * @example
 * ```ts
 * const client = axios.create({ headers: { [TEST_ID_HEADER]: session.id } });
 * ```
 */
export const TEST_ID_HEADER = 'x-e2e-kit-test';

/**
 * An Express-compatible middleware (the kit does not depend on Express's types).
 *
 * @example
 * ```ts
 * const override: RequestOverride = createRequestOverride(runningTests);
 * app.use(override); // first, before every other middleware
 * ```
 */
export type RequestOverride = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Where the override finds the test a request belongs to: either one slot
 * (`current`, the simplest form) or a router that resolves a request's test
 * identity (what the kit's runner adapters use).
 *
 * @example
 * ```ts
 * const running: SessionSource = { current: undefined };
 * const override = createRequestOverride(running);
 * ```
 */
export type SessionSource =
  | {
      /** The one test running now, or `undefined` between tests. */
      readonly current: TestSession | undefined;
    }
  | {
      /** The session of the request's test (`testId` from {@link TEST_ID_HEADER}), or the refusal that explains why there is none. */
      route(testId: string | undefined, label: string): TestSession | SharedSessionError;
    };

function refuse(res: ServerResponse, status: number, error: SharedSessionError): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: { code: 'test_kit_error', message: error.message } }));
}

/**
 * The error for a request that reaches the test server while no test is running.
 *
 * @example
 * ```ts
 * refuse(res, 500, outsideTestError('GET /health'));
 * ```
 */
export function outsideTestError(label: string): SharedSessionError {
  return new SharedSessionError(
    `Request outside a test transaction: ${label} reached the test server while no test was running ` +
      `(in a beforeAll/afterAll hook, or after its test ended). It was refused so that nothing is committed.\n` +
      `Fix: make requests inside a test body, and await them before the test ends.`,
    TESTING_SECTIONS.outsideTest,
  );
}

function routeBySlot(source: { readonly current: TestSession | undefined }, testId: string | undefined, label: string) {
  const session = source.current;
  if (!session || session.hasEnded || (testId !== undefined && testId !== session.id)) return outsideTestError(label);
  return session;
}

/**
 * The test-only first middleware: the Express twin of FastAPI's
 * `app.dependency_overrides[get_db]`. For each request it
 *
 * 1. finds the request's test, by the identity the kit's clients send
 *    ({@link TEST_ID_HEADER}) or, for an untagged request, the one test running;
 * 2. takes the test's lock (requests of one test run one at a time);
 * 3. runs the rest of the app inside the test's transaction (bound in CLS),
 *    where each statement outside an app transaction behaves as autocommit
 *    would (it stays, even if the request then fails; a failing one undoes
 *    only itself) and each app transaction is a savepoint;
 * 4. before the response leaves, checks that the request left no transaction
 *    open (the test then fails, naming the request), and frees the lock.
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
    const label = `${req.method} ${req.url}`;
    const header = req.headers[TEST_ID_HEADER];
    const testId = Array.isArray(header) ? header[0] : header;
    const routed = 'route' in sessions ? sessions.route(testId, label) : routeBySlot(sessions, testId, label);
    if (routed instanceof SharedSessionError) {
      refuse(res, 500, routed);
      return;
    }
    serveInTest(routed, { label }, res, next);
  };
}

function serveInTest(
  session: TestSession,
  request: RequestInfo,
  res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  // The lock is free for most requests: take it at once, without a promise.
  const release = session.lock.tryAcquire();
  if (release) {
    serveHoldingLock(session, request, res, next, release);
    return;
  }
  session.lock
    .acquire({
      timeoutMs: session.lockTimeoutMs,
      onTimeout: () => lockTimeoutError(session, `the request ${request.label}`),
    })
    .then(
      (granted) => serveHoldingLock(session, request, res, next, granted),
      (error: unknown) => refuse(res, 503, error as SharedSessionError),
    );
}

function serveHoldingLock(session: TestSession, request: RequestInfo, res: ServerResponse, next: (error?: unknown) => void, release: () => void): void {
  if (session.hasEnded) {
    release();
    refuse(res, 500, outsideTestError(`${request.label} (its test ended while it waited)`));
    return;
  }
  session.lockHolder = `the request ${request.label}`;
  const lease = { held: true };
  const context: KitContext = {
    values: new Map([['transaction', session.transaction]]),
    session,
    lockLease: lease,
    request,
  };

  // Returns a promise only when the request left an app transaction open, which takes a rollback.
  let settled = false;
  const settle = (): Promise<void> | undefined => {
    if (settled) return undefined;
    settled = true;
    const free = () => {
      lease.held = false;
      session.lockHolder = undefined;
      release();
    };
    if (session.hasEnded || !session.hasOpenAppTransactionOf(request)) {
      free();
      return undefined;
    }
    return rollBackUnfinishedTransactions(session, request).finally(free);
  };

  // Hold the response until the request's work is settled, so the client never
  // sees a response before the lock is free for its next request.
  const originalEnd = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = function endAfterSettling(...args: unknown[]) {
    const settling = settle();
    if (!settling) return originalEnd(...args);
    settling.then(
      () => originalEnd(...args),
      (error: unknown) => {
        console.error('[e2e-kit] could not settle the request:', error);
        originalEnd(...args);
      },
    );
    return res;
  } as typeof res.end;
  // A client that disconnects before the response must not keep the lock.
  res.once('close', () => void settle()?.catch(() => {}));

  kitStorage.run(context, () => next());
}

/**
 * In production an unmanaged transaction that a request never commits or
 * rolls back is never committed, and its connection stays idle in a
 * transaction. Here it is rolled back, and the test fails naming the request.
 */
async function rollBackUnfinishedTransactions(session: TestSession, request: RequestInfo): Promise<void> {
  for (const [transaction, opener] of session.openAppTransactions.reverse()) {
    if (opener.request !== request) continue;
    session.failures.push(
      new SharedSessionError(
        `A request ended with its transaction still open: ${request.label} in "${session.testName}" opened a transaction ` +
          '(`await sequelize.transaction()`) and neither committed nor rolled it back before its response. In production ' +
          'its writes are never committed and its connection stays idle in a transaction, holding its locks.\n' +
          'Fix: commit or roll back on every path (try/finally), or use a managed `sequelize.transaction(async (t) => ...)`.',
        TESTING_SECTIONS.unfinishedTransaction,
      ),
    );
    await transaction.rollback().catch(() => {});
  }
}

// Scenario: the same close with the kit's server. `startTestServer().close()`
// calls `server.closeAllConnections()` right after `server.close()`, so the
// sockets still open, busy or idle, are destroyed and close() returns at once
// whatever the keep-alive timeout. The cut request still runs to its end in
// the test's transaction; the test waits for that before it
// ends, so nothing it does outlives the test's rollback.
import type { RequestListener } from 'node:http';
import { test, expect, TEST_SESSION_SECRET } from '../../src/e2e/fixtures.ts';
import { createApp } from '../../src/app/app.ts';
import { createRequestOverride, createTestClient, currentContext, startTestServer } from '../../src/testing/index.ts';
import { recordOutcome } from '../verdict.ts';

const topic = 'keep-alive-close-hangs';

/** Wraps a listener to know when a request has arrived and when its handler has answered. */
function observed(listener: RequestListener) {
  let arrived!: () => void;
  let answered!: () => void;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const handlerAnswered = new Promise<void>((resolve) => (answered = resolve));
  const wrapped: RequestListener = (req, res) => {
    arrived();
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      answered();
      return end(...args);
    }) as typeof res.end;
    listener(req, res);
  };
  return { wrapped, requestArrived, handlerAnswered };
}

test('when the server closes with a request in flight, then close() returns at once', async ({ app, task }) => {
  const listener = createApp({
    sequelize: app.sequelize,
    models: app.models,
    sessionSecret: TEST_SESSION_SECRET,
    testRequestOverride: createRequestOverride({ current: currentContext()!.session }),
  });
  const { wrapped, requestArrived, handlerAnswered } = observed(listener);
  const server = await startTestServer(wrapped);

  const inFlight = createTestClient(server.url)
    .get('/health')
    .then(
      (res) => `answered ${res.status}`,
      (error: { code?: string }) => `cut: ${error.code ?? 'error'}`,
    );
  await requestArrived; // the request is now in the kit's override, on its way to SELECT 1

  // #region new
  const started = performance.now();
  // ✅ closeAllConnections(): the busy keep-alive socket is destroyed at once.
  await server.close();
  const closeMs = Math.round(performance.now() - started);
  // #endregion new
  const fate = await inFlight;
  await handlerAnswered; // its queries ran inside the test's transaction, before the rollback

  recordOutcome(task, { topic, side: 'new', outcome: `close() took ${closeMs} ms (request in flight ${fate})` });
  // Milliseconds on a quiet machine; the bound leaves room for a loaded one and
  // stays below the broken twin's floor (keepAliveTimeout / 2 - 200 = 800 ms).
  expect(closeMs).toBeLessThan(500);
  expect(fate).toMatch(/^cut: /);
});

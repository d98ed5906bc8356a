import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { currentContext } from './cls.ts';
import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';

/**
 * An in-process HTTP server on an ephemeral port.
 *
 * @example
 * ```ts
 * const server: TestServer = await startTestServer(app);
 * await server.close();
 * ```
 */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Closes the server and every socket still open, idle keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * Starts `app` on 127.0.0.1 with an ephemeral port. `close()` calls
 * `closeAllConnections()`: since Node 19 a plain `server.close()` drops the
 * keep-alive sockets that are idle at that moment, but a socket whose request
 * is still in flight becomes idle only afterwards and then holds `close()`
 * until the keep-alive timeout (prototypes/keep-alive-close-hangs measures it).
 *
 * @example
 * ```ts
 * const server = await startTestServer(app);
 * const res = await fetch(`${server.url}/health`);
 * await server.close();
 * ```
 */
export async function startTestServer(app: RequestListener): Promise<TestServer> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * An axios instance for tests: bound to `baseURL`, with the given headers, and
 * never throwing on an HTTP status (tests assert statuses themselves).
 *
 * @example
 * ```ts
 * const client = createTestClient(server.url, { authorization: `Bearer ${token}` });
 * expect((await client.get('/health')).status).toBe(200);
 * ```
 */
export function createTestClient(baseURL: string, headers: Record<string, string> = {}): AxiosInstance {
  const client = axios.create({ baseURL, headers, validateStatus: () => true, timeout: 15_000 });
  // Interceptors run in the caller's async context, so the kit can tell a
  // request sent from inside a managed transaction of the test body: it would
  // wait for the lock that transaction holds until the lock timeout.
  client.interceptors.request.use((config) => {
    const context = currentContext();
    if (context?.inBodyTransaction && context.session) {
      throw new SharedSessionError(
        `A request was sent inside a transaction of the test body: ${String(config.method).toUpperCase()} ${config.url ?? ''} ` +
          `in "${context.session.testName}" was sent from inside \`sequelize.transaction(cb)\`, which holds the test's ` +
          'transaction until its callback ends; the request would wait for it until the lock timeout.\n' +
          'Fix: send the request before or after the transaction, not inside its callback.',
        TESTING_SECTIONS.requestInBodyTransaction,
      );
    }
    return config;
  });
  return client;
}

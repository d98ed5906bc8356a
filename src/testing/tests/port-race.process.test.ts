// The free port is found by probing (listen on port 0, close), and PostgreSQL
// binds it a moment later. Another process can take it in between. This test
// makes that happen on purpose: node:net's probe server is wrapped so that,
// the first time, a "thief" listens on the probed port right after the probe
// closes it. The start must then use another port, and the URL must reach
// PostgreSQL, not the thief.
import type { Server } from 'node:net';
import pg from 'pg';
import { afterAll, expect, test, vi } from 'vitest';

const thieves = vi.hoisted(() => [] as Server[]);

vi.mock('node:net', async (importOriginal) => {
  const net = await importOriginal<typeof import('node:net')>();
  let stolen = false;
  const createServer = ((...args: Parameters<typeof net.createServer>) => {
    const probe = net.createServer(...args);
    if (stolen) return probe;
    stolen = true;
    const close = probe.close.bind(probe);
    probe.close = ((callback?: (error?: Error) => void) => {
      const address = probe.address();
      return close((error) => {
        if (error || typeof address !== 'object' || !address) return callback?.(error);
        // Accepts and hangs up at once: whoever connects here gets no PostgreSQL.
        const thief = net.createServer((socket) => socket.destroy());
        thieves.push(thief);
        thief.listen(address.port, '127.0.0.1', () => callback?.());
      });
    }) as typeof probe.close;
    return probe;
  }) as typeof net.createServer;
  return { ...net, default: { ...net, createServer }, createServer };
});

// With a shared module graph (isolate: false) another file may have loaded the
// module already, without the mock: a query string makes it a module of its own,
// loaded afresh with the mocked node:net, and leaves every other module shared.
const freshModule = '../embedded-postgres.ts?with-mocked-net';
const { startEmbeddedPostgres } = (await import(/* @vite-ignore */ freshModule)) as typeof import('../embedded-postgres.ts');

afterAll(async () => {
  await Promise.all(thieves.map((thief) => new Promise((resolve) => thief.close(resolve))));
});

test('when the probed port is taken before PostgreSQL binds it, then the server starts on another port and its URL reaches it', { timeout: 90_000 }, async () => {
  const server = await startEmbeddedPostgres();
  try {
    expect(thieves).toHaveLength(1);
    const stolenPort = (thieves[0]!.address() as { port: number }).port;
    expect(Number(new URL(server.url).port)).not.toBe(stolenPort);

    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
});

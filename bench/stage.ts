// One app "stage": a Sequelize instance on one database, the demo app's models
// and factories on it, and the in-process HTTP server the workload talks to.
// Every strategy builds its stages from here, so they differ only in isolation.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../src/db/sequelize.ts';
import { defineModels, type Models } from '../src/app/models/index.ts';
import { createApp } from '../src/app/app.ts';
import { createFactories, type Factories } from '../src/e2e/factories.ts';
import { startTestServer, type RequestOverride, type TestServer } from '../src/testing/index.ts';

/** A fixed secret: tokens are real HS256 tokens, checked by the app's real middleware. */
export const BENCH_SESSION_SECRET = 'bench-session-secret-long-enough-for-hs256';


/** The database side of the app for one database URL. */
export interface AppDatabase {
  readonly sequelize: Sequelize;
  readonly models: Models;
  readonly factories: Factories;
}

export function connectApp(databaseUrl: string): AppDatabase {
  const sequelize = createSequelize(databaseUrl);
  const models = defineModels(sequelize);
  return { sequelize, models, factories: createFactories(models) };
}

/** The demo app as a request listener, with the kit's override mounted first when given. */
export function buildApp(db: AppDatabase, override?: RequestOverride): RequestListener {
  return createApp({
    sequelize: db.sequelize,
    models: db.models,
    sessionSecret: BENCH_SESSION_SECRET,
    ...(override ? { testRequestOverride: override as Parameters<typeof createApp>[0]['testRequestOverride'] } : {}),
  }) as unknown as RequestListener;
}

/**
 * The kit's test server around a listener that can be swapped (the
 * database-per-test strategy builds a new app per test) and that counts the
 * TCP connections it sees, which shows whether the client reuses keep-alive
 * sockets or pays a TCP handshake per request.
 */
export class BenchServer {
  private handler: RequestListener | undefined;
  private readonly sockets = new WeakSet<Socket>();
  /** TCP connections accepted so far. */
  connections = 0;
  /** Requests served so far. */
  requests = 0;
  /** Requests being served right now. */
  inFlight = 0;

  private server!: TestServer;

  private constructor(handler: RequestListener | undefined) {
    this.handler = handler;
  }

  static async start(handler?: RequestListener): Promise<BenchServer> {
    const bench = new BenchServer(handler);
    bench.server = await startTestServer((req: IncomingMessage, res: ServerResponse) => bench.dispatch(req, res));
    return bench;
  }

  get url(): string {
    return this.server.url;
  }

  use(handler: RequestListener | undefined): void {
    this.handler = handler;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    this.inFlight++;
    let done = false;
    const finished = () => {
      if (!done) this.inFlight--;
      done = true;
    };
    res.once('finish', finished);
    res.once('close', finished);
    if (!this.sockets.has(req.socket)) {
      this.sockets.add(req.socket);
      this.connections++;
    }
    if (!this.handler) {
      res.statusCode = 503;
      res.end('no app mounted');
      return;
    }
    void this.handler(req, res);
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
